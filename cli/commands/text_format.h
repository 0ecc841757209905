#pragma once
// Small text helpers the operator commands share: duration flags ("90s", "15m", "7d"), ages
// for people ("4m05s"), RFC 3339 times back to time points, and aligned tables.

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/clock.h"
#include "common/base/result.h"

namespace aof::cli {

// "500ms", "30s", "15m", "2h", "7d" or bare seconds ("30"). kInvalidArgument naming `flag`
// otherwise ("--since: \"5x\" is not a duration (use 30s, 15m, 2h or 7d)").
Result<Millis> parse_duration_flag(std::string_view flag, std::string_view text);

// 950 → "950ms", 12300 → "12.3s", 245000 → "4m05s", 7200000 → "2h00m", 3 days → "3d00h".
std::string format_age(std::int64_t ms);

// Parses what to_rfc3339 writes (UTC, "Z", optional fraction); nullopt otherwise.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

// Prints `rows` under `header`, each column as wide as its widest cell, two spaces apart.
void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

}  // namespace aof::cli
