#pragma once
// Internal to common/event: the wording of envelope bound violations, shared by the parser
// and validate_envelope so both say exactly the same thing (tests assert these strings).

#include <cstddef>
#include <string>

#include "common/base/result.h"

namespace aof::event::detail {

inline Error invalid_field(const std::string& path, const std::string& what) {
  return Error(ErrorCode::kInvalidArgument, path + ": " + what);
}

// "envelope.body: 27000000 bytes exceeds the 26214400-byte limit"
inline Error too_many_bytes(const std::string& path, std::size_t size, std::size_t limit) {
  return invalid_field(
      path, std::to_string(size) + " bytes exceeds the " + std::to_string(limit) + "-byte limit");
}

// "envelope.history: 1001 entries exceed the limit of 1000"
inline Error too_many_entries(const std::string& path, std::size_t count, std::size_t limit) {
  return invalid_field(
      path, std::to_string(count) + " entries exceed the limit of " + std::to_string(limit));
}

}  // namespace aof::event::detail
