#include "common/ingest/bounded_json.h"

#include <string>

namespace aof::ingest {

std::size_t json_nesting_depth(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    // nlohmann's lexer takes a NUL for the end of input: what follows is never parsed, so it
    // must not count (a body "{}\0[[[..." is accepted by the parse).
    if (c == '\0') break;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;  // enough to reject; do not scan the rest
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Result<nlohmann::json> parse_json_object(std::string_view text, std::size_t max_depth) {
  if (json_nesting_depth(text, max_depth) > max_depth) {
    return Error(ErrorCode::kInvalidArgument,
                 "JSON nesting exceeds " + std::to_string(max_depth) + " levels");
  }
  // allow_exceptions = false: a syntax error yields a "discarded" value instead of a throw.
  nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (value.is_discarded()) return Error(ErrorCode::kInvalidArgument, "body is not valid JSON");
  if (!value.is_object()) return Error(ErrorCode::kInvalidArgument, "body is not a JSON object");
  return value;
}

}  // namespace aof::ingest
