#pragma once
// The `parse` modes of a Script node (reference §1.3, §6.3), applied to captured stdout:
//   text  → the string, trimmed of surrounding whitespace;
//   json  → the parsed value (nesting deeper than kMaxJsonDepth is refused);
//   lines → an array of the lines, without their "\n"/"\r\n"; blank lines are left out;
//   regex → an array with one object per match: "$0" (the whole match), "$1"... (groups
//           that took part) and named groups by name, `(?<name>...)` or `(?P<name>...)`.
// regex uses std::regex (ECMAScript) and matches each line on its own: libstdc++'s matcher
// recurses once per matched character, so a bounded line keeps the stack bounded (a match
// cannot span lines; ^ and $ anchor at each line). Lines longer than kMaxRegexLineBytes are
// an error. Lookbehind and inline flags such as (?i) are not supported.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

#include "common/base/result.h"

namespace aof::runtime::flow {

inline constexpr int kMaxJsonDepth = 256;
inline constexpr std::size_t kMaxRegexLineBytes = 4096;

// Errors: kInvalidArgument for an unknown mode, a bad pattern or a too-long line (regex);
// kInternal when stdout is not the JSON the mode expects (the script misbehaved; a retry
// may help).
Result<nlohmann::json> parse_stdout(const std::string& mode, const std::string& pattern,
                                    const std::string& text);

}  // namespace aof::runtime::flow
