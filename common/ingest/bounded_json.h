#pragma once
// Parsing untrusted JSON bodies without exceptions and without unbounded recursion.
// nlohmann's parser (and its destructor) recurse once per nesting level, so a body of a few
// megabytes of '[' would exhaust the stack: the depth is checked by a flat scan first.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

#include "common/base/result.h"

namespace aof::ingest {

inline constexpr std::size_t kMaxJsonDepth = 64;

// The deepest nesting of arrays/objects in `text` up to its first NUL, where nlohmann's parse
// stops too (brackets inside strings do not count).
// Stops counting once `limit` + 1 is reached, so the scan is linear and cheap.
std::size_t json_nesting_depth(std::string_view text, std::size_t limit = kMaxJsonDepth);

// Parses `text` as a JSON object. kInvalidArgument when nested deeper than `max_depth`,
// when it is not valid JSON (including invalid UTF-8) or when the top level is not an object.
Result<nlohmann::json> parse_json_object(std::string_view text,
                                         std::size_t max_depth = kMaxJsonDepth);

}  // namespace aof::ingest
