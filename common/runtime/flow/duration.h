#pragma once
// Wait-node durations (reference §1.3): "250ms", "10s", "5m", "2h" or bare seconds ("30");
// empty means the AOF default, 1s.

#include <string_view>

#include "common/base/clock.h"
#include "common/base/result.h"

namespace aof::runtime::flow {

// Errors: kInvalidArgument for anything else (negative, fractional, unknown unit, > 7 days).
Result<Millis> parse_duration(std::string_view text);

}  // namespace aof::runtime::flow
