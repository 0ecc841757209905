# Usage: cmake -DBINARY=path -DPATTERN=text -DEXPECT=absent|present -P check_symbols.cmake
# Checks the symbols actually linked into a binary (nm -C), so it catches executor code that
# arrives by any route: a target_link_libraries edge, a runtime source globbed into another
# library, or an inline function from a runtime header. The "present" form runs the same
# check on aof-work as a control, proving the pattern matches real demangled symbols.
execute_process(COMMAND nm -C "${BINARY}" OUTPUT_VARIABLE symbols RESULT_VARIABLE status
  ERROR_VARIABLE errors)
if(NOT status EQUAL 0 OR symbols STREQUAL "")
  message(FATAL_ERROR "nm -C ${BINARY} failed (${status}): ${errors}")
endif()
string(REGEX MATCHALL "[^\n]*${PATTERN}[^\n]*" found "${symbols}")
list(LENGTH found count)
if(EXPECT STREQUAL "absent" AND count GREATER 0)
  list(SUBLIST found 0 10 sample)
  list(JOIN sample "\n  " sample)
  message(FATAL_ERROR "${BINARY} links ${count} symbols matching '${PATTERN}', e.g.\n  ${sample}")
elseif(EXPECT STREQUAL "present" AND count EQUAL 0)
  message(FATAL_ERROR "${BINARY} has no symbol matching '${PATTERN}': the check is blind")
endif()
message(STATUS "${BINARY}: ${count} symbols match '${PATTERN}' (expected ${EXPECT})")
