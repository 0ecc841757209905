#include "common/base/clock.h"

#include <ctime>
#include <string>

namespace aof {

SystemClock& SystemClock::instance() {
  static SystemClock clock;
  return clock;
}

std::string to_rfc3339(TimePoint t) {
  const long long ms = to_unix_ms(t);
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03lldZ", ms % 1000);
  return buf;
}

}  // namespace aof
