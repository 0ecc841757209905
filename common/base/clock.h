#pragma once
// Time as a dependency: production code asks a Clock, tests inject a FakeClock and move it
// by hand, so no test sleeps for a lease or a backoff.

#include <chrono>
#include <mutex>

namespace aof {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (used for timestamps that leave the process and for lease deadlines).
  virtual TimePoint now() const = 0;
};

// The real clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
  static SystemClock& instance();
};

// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = TimePoint(std::chrono::seconds(1'700'000'000)))
      : now_(start) {}
  TimePoint now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void advance(Millis by) {
    std::lock_guard lock(mu_);
    now_ += by;
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_;  // guarded by mu_
};

// Milliseconds since the Unix epoch.
inline long long to_unix_ms(TimePoint t) {
  return std::chrono::duration_cast<Millis>(t.time_since_epoch()).count();
}
inline TimePoint from_unix_ms(long long ms) { return TimePoint(Millis(ms)); }

// RFC 3339 UTC with milliseconds, e.g. 2026-11-26T21:00:00.123Z.
std::string to_rfc3339(TimePoint t);

}  // namespace aof
