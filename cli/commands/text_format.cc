#include "cli/commands/text_format.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <ostream>

namespace aof::cli {

Result<Millis> parse_duration_flag(std::string_view flag, std::string_view text) {
  const auto bad = [&] {
    return Error(ErrorCode::kInvalidArgument, std::string(flag) + ": \"" + std::string(text) +
                                                  "\" is not a duration (use 30s, 15m, 2h or 7d)");
  };
  std::size_t digits = 0;
  while (digits < text.size() && digits < 12 && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  if (digits == 0) return bad();
  const long long n = std::stoll(std::string(text.substr(0, digits)));
  const std::string_view unit = text.substr(digits);
  if (unit == "ms") return Millis(n);
  if (unit.empty() || unit == "s") return Millis(n * 1000);
  if (unit == "m") return Millis(n * 60'000);
  if (unit == "h") return Millis(n * 3'600'000);
  if (unit == "d") return Millis(n * 86'400'000);
  return bad();
}

std::string format_age(std::int64_t ms) {
  char out[32];
  if (ms < 1000) {
    std::snprintf(out, sizeof out, "%lldms", static_cast<long long>(ms));
  } else if (ms < 60'000) {
    std::snprintf(out, sizeof out, "%.1fs", static_cast<double>(ms) / 1000);
  } else if (ms < 3'600'000) {
    std::snprintf(out, sizeof out, "%lldm%02llds", static_cast<long long>(ms / 60'000),
                  static_cast<long long>(ms / 1000 % 60));
  } else if (ms < 86'400'000) {
    std::snprintf(out, sizeof out, "%lldh%02lldm", static_cast<long long>(ms / 3'600'000),
                  static_cast<long long>(ms / 60'000 % 60));
  } else {
    std::snprintf(out, sizeof out, "%lldd%02lldh", static_cast<long long>(ms / 86'400'000),
                  static_cast<long long>(ms / 3'600'000 % 24));
  }
  return out;
}

std::optional<TimePoint> parse_rfc3339(std::string_view text) {
  std::tm tm{};
  int used = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &used) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  long long ms = 0;
  std::size_t at = static_cast<std::size_t>(used);
  if (at < s.size() && s[at] == '.') {
    long long scale = 100;
    for (++at; at < s.size() && s[at] >= '0' && s[at] <= '9'; ++at, scale /= 10) {
      ms += (s[at] - '0') * scale;
    }
  }
  if (at >= s.size() || s[at] != 'Z') return std::nullopt;
  return TimePoint(std::chrono::seconds(timegm(&tm))) + Millis(ms);
}

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(header.size());
  for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size() && c < width.size(); ++c) {
      width[c] = std::max(width[c], row[c].size());
    }
  }
  const auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t c = 0; c < row.size() && c < width.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 2, ' ');
    }
    out << line << "\n";
  };
  print_row(header);
  for (const auto& row : rows) print_row(row);
}

}  // namespace aof::cli
