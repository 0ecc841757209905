#include "common/queue/retry_policy.h"

#include <algorithm>
#include <random>

#include "common/config/daemon_config.h"

namespace aof::queue {

RetryPolicy retry_policy_of(const config::QueueConfig& config) {
  return RetryPolicy{config.max_retries, Millis(config.retry_delay_ms),
                     Millis(config.retry_max_delay_ms)};
}

Jitter default_jitter() {
  return [](std::int64_t bound) -> std::int64_t {
    if (bound <= 0) return 0;
    // One generator per thread: no lock, and workers never contend on retries.
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::uniform_int_distribution<std::int64_t>(0, bound)(rng);
  };
}

Millis backoff_ceiling(const RetryPolicy& policy, int retry) {
  const std::int64_t cap = std::max<std::int64_t>(policy.max_delay.count(), 0);
  std::int64_t delay = std::min(std::max<std::int64_t>(policy.base_delay.count(), 0), cap);
  // Double step by step, stopping at the cap, so a large retry number cannot overflow.
  for (int n = 1; n < retry && delay < cap; ++n) delay = std::min(delay * 2, cap);
  return Millis(delay);
}

Millis backoff_delay(const RetryPolicy& policy, int retry, const Jitter& jitter) {
  const std::int64_t ceiling = backoff_ceiling(policy, retry).count();
  // Clamped: an injected jitter outside its contract must not make a negative or huge delay.
  return Millis(std::clamp<std::int64_t>(jitter(ceiling), 0, ceiling));
}

bool may_retry(const RetryPolicy& policy, int attempts) {
  return attempts <= std::max(policy.max_retries, 0);
}

}  // namespace aof::queue
