#include "common/queue/retry_policy.h"

#include <doctest/doctest.h>

#include "common/config/daemon_config.h"

namespace aof::queue {
namespace {

const RetryPolicy kPolicy{3, Millis(1000), Millis(300000)};

std::int64_t at_bound(std::int64_t bound) { return bound; }
std::int64_t at_zero(std::int64_t) { return 0; }

TEST_CASE("the backoff ceiling doubles per retry up to the cap") {
  CHECK(backoff_ceiling(kPolicy, 1) == Millis(1000));
  CHECK(backoff_ceiling(kPolicy, 2) == Millis(2000));
  CHECK(backoff_ceiling(kPolicy, 3) == Millis(4000));
  CHECK(backoff_ceiling(kPolicy, 9) == Millis(256000));
  CHECK(backoff_ceiling(kPolicy, 10) == Millis(300000));
  CHECK(backoff_ceiling(kPolicy, 11) == Millis(300000));
  CHECK(backoff_ceiling(kPolicy, 1'000'000) == Millis(300000));  // no overflow
}

TEST_CASE("the backoff ceiling handles edge policies") {
  CHECK(backoff_ceiling(kPolicy, 0) == Millis(1000));  // treated as the first retry
  CHECK(backoff_ceiling(RetryPolicy{3, Millis(5000), Millis(2000)}, 1) == Millis(2000));
  CHECK(backoff_ceiling(RetryPolicy{3, Millis(0), Millis(2000)}, 5) == Millis(0));
}

TEST_CASE("full jitter draws from [0, ceiling]") {
  CHECK(backoff_delay(kPolicy, 1, at_bound) == Millis(1000));
  CHECK(backoff_delay(kPolicy, 4, at_bound) == Millis(8000));
  CHECK(backoff_delay(kPolicy, 20, at_bound) == Millis(300000));
  CHECK(backoff_delay(kPolicy, 4, at_zero) == Millis(0));
  std::int64_t seen = -1;
  const Jitter spy = [&](std::int64_t bound) { return (seen = bound) / 2; };
  CHECK(backoff_delay(kPolicy, 3, spy) == Millis(2000));
  CHECK(seen == 4000);
}

TEST_CASE("a jitter outside its contract is clamped") {
  CHECK(backoff_delay(kPolicy, 1, [](std::int64_t) { return std::int64_t{-5}; }) == Millis(0));
  CHECK(backoff_delay(kPolicy, 1, [](std::int64_t b) { return b * 10; }) == Millis(1000));
}

TEST_CASE("the default jitter stays within its bound") {
  const Jitter jitter = default_jitter();
  CHECK(jitter(0) == 0);
  CHECK(jitter(-3) == 0);
  bool varied = false;
  const std::int64_t first = jitter(1'000'000);
  for (int i = 0; i < 1000; ++i) {
    const std::int64_t v = jitter(1000);
    CHECK((v >= 0 && v <= 1000));
    varied = varied || jitter(1'000'000) != first;
  }
  CHECK(varied);
}

TEST_CASE("an event is attempted at most 1 + max_retries times") {
  CHECK(may_retry(kPolicy, 1));
  CHECK(may_retry(kPolicy, 3));
  CHECK_FALSE(may_retry(kPolicy, 4));
  CHECK_FALSE(may_retry(RetryPolicy{0, Millis(1), Millis(1)}, 1));
  CHECK_FALSE(may_retry(RetryPolicy{-1, Millis(1), Millis(1)}, 1));
}

TEST_CASE("the policy comes from the queue config") {
  config::QueueConfig config;
  config.max_retries = 7;
  config.retry_delay_ms = 250;
  config.retry_max_delay_ms = 9000;
  const RetryPolicy policy = retry_policy_of(config);
  CHECK(policy.max_retries == 7);
  CHECK(policy.base_delay == Millis(250));
  CHECK(policy.max_delay == Millis(9000));
}

}  // namespace
}  // namespace aof::queue
