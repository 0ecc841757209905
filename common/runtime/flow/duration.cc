#include "common/runtime/flow/duration.h"

#include <charconv>
#include <string>

namespace aof::runtime::flow {
namespace {

// Longer waits belong to a scheduler, not a worker slot; also keeps the arithmetic small.
constexpr Millis kMaxWait = std::chrono::hours(24 * 7);

struct Unit {
  std::string_view suffix;
  long long millis;
};

// "ms" before "s", "m" and "h" so the longest suffix matches first.
constexpr Unit kUnits[] = {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}};

Error bad(std::string_view text, const char* why) {
  return Error(ErrorCode::kInvalidArgument,
               "duration \"" + std::string(text) + "\": " + why + " (use Nms, Ns, Nm or Nh)");
}

}  // namespace

Result<Millis> parse_duration(std::string_view text) {
  if (text.empty()) return Millis(1000);
  std::string_view digits = text;
  long long unit_millis = 1000;  // bare number = seconds
  for (const auto& unit : kUnits) {
    if (text.ends_with(unit.suffix)) {
      digits = text.substr(0, text.size() - unit.suffix.size());
      unit_millis = unit.millis;
      break;
    }
  }
  long long count = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (digits.empty() || digits[0] == '-' || ec != std::errc() ||
      ptr != digits.data() + digits.size()) {
    return bad(text, "not a whole number with a unit");
  }
  if (count > kMaxWait.count() / unit_millis) return bad(text, "longer than 7 days");
  return Millis(count * unit_millis);
}

}  // namespace aof::runtime::flow
