#pragma once
// Backoff arithmetic shared by every backend (DESIGN §5): the n-th retry waits a uniformly
// random time in [0, min(cap, base * 2^(n-1))] ("full jitter"). Pure functions; the random
// source is injected so tests are exact.

#include <cstdint>
#include <functional>

#include "common/base/clock.h"

namespace aof::config {
struct QueueConfig;
}

namespace aof::queue {

struct RetryPolicy {
  int max_retries = 3;       // retries after the first attempt
  Millis base_delay{1000};   // retry_delay_ms
  Millis max_delay{300000};  // retry_max_delay_ms
};

// The policy of queue.max_retries / retry_delay_ms / retry_max_delay_ms.
RetryPolicy retry_policy_of(const config::QueueConfig& config);

// Returns a uniformly random integer in [0, bound]. Thread-safe in the default implementation.
using Jitter = std::function<std::int64_t(std::int64_t bound)>;
Jitter default_jitter();

// The exponential ceiling for retry number `retry` (1-based): min(cap, base * 2^(retry-1)).
Millis backoff_ceiling(const RetryPolicy& policy, int retry);

// The delay before retry number `retry` (1-based), with full jitter.
Millis backoff_delay(const RetryPolicy& policy, int retry, const Jitter& jitter);

// Whether an event that has now failed `attempts` times (1-based) may be tried again: an
// event is attempted at most 1 + max_retries times (max_retries < 0 counts as 0).
bool may_retry(const RetryPolicy& policy, int attempts);

}  // namespace aof::queue
