// Conformance: retry scheduling and dead letters on every backend.
#include <doctest/doctest.h>

#include "tests/unit/queue/conformance_fixture.h"

namespace aof::queue::conformance {
namespace {

TEST_CASE_TEMPLATE("a retryable failure waits for the capped backoff ceiling", B,
                   AOF_QUEUE_BACKENDS) {
  auto config = base_config();
  config.retry_delay_ms = 500;
  config.retry_max_delay_ms = 800;  // the second retry (1000 ms uncapped) hits the cap
  Fixture<B> f(config);
  f.publish_ids({"a"});

  Stopwatch since;
  const FailOutcome first = f.fail(f.fetch_one("w1"), ErrorCode::kUnavailable, false, "503");
  CHECK(first.disposition == Disposition::kRetryScheduled);
  CHECK(first.delay == Millis(500));
  CHECK(f.stats().delayed == 1);
  f.check_nothing_deliverable(since, first.delay, "w2");

  const Delivery second = f.fetch_due_one("w2");
  CHECK(second.envelope.attempt == 2);
  REQUIRE(second.envelope.history.size() == 1);
  CHECK(second.envelope.history[0].attempt == 1);
  CHECK(second.envelope.history[0].worker == "w1");
  CHECK(second.envelope.history[0].error_class == "unavailable");
  CHECK(second.envelope.history[0].message == "503");
  CHECK(f.stats().delayed == 0);

  since = Stopwatch();
  const FailOutcome capped = f.fail(second, ErrorCode::kResourceExhausted, false, "429");
  CHECK(capped.disposition == Disposition::kRetryScheduled);
  CHECK(capped.delay == Millis(800));
  f.check_nothing_deliverable(since, capped.delay, "w3");
  const Delivery third = f.fetch_due_one("w3");
  CHECK(third.envelope.attempt == 3);
  REQUIRE(third.envelope.history.size() == 2);
  CHECK(third.envelope.history[1].attempt == 2);
  CHECK(third.envelope.history[1].error_class == "resource_exhausted");
}

TEST_CASE_TEMPLATE("an event dead-letters after max_retries with one history entry per try", B,
                   AOF_QUEUE_BACKENDS) {
  auto config = base_config();
  config.max_retries = 2;
  config.retry_delay_ms = 50;
  config.retry_max_delay_ms = 50;
  Fixture<B> f(config);
  f.publish_ids({"a"});
  std::vector<Disposition> outcomes;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    const std::string worker = "w" + std::to_string(attempt);
    const Delivery d = f.fetch_due_one(worker);
    CHECK(d.envelope.attempt == attempt);
    outcomes.push_back(
        f.fail(d, ErrorCode::kTimeout, false, "try " + std::to_string(attempt)).disposition);
  }
  CHECK(outcomes == std::vector<Disposition>{Disposition::kRetryScheduled,
                                             Disposition::kRetryScheduled,
                                             Disposition::kDeadLettered});
  CHECK(f.fetch("w4", 1, Millis(300)).empty());

  const auto dead = f.dead_letters(10);
  REQUIRE(dead.size() == 1);
  const auto& history = dead[0].history;
  REQUIRE(history.size() == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(history[i].attempt == i + 1);
    CHECK(history[i].worker == "w" + std::to_string(i + 1));
    CHECK(history[i].error_class == "timeout");
    CHECK(history[i].message == "try " + std::to_string(i + 1));
    CHECK_FALSE(history[i].at.empty());
  }
  const EventRecord record = f.find("a");
  CHECK(record.state == EventState::kDead);
  CHECK(record.envelope.history.size() == 3);
  CHECK(f.stats().dlq == 1);
  CHECK(f.stats().delayed == 0);
}

TEST_CASE_TEMPLATE("permanent failures and non-retryable codes dead-letter at once", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  f.publish_ids({"a", "b"});
  const Delivery first = f.fetch_one("w1");
  const FailOutcome outcome = f.fail(first, ErrorCode::kUnavailable, true, "bad resource");
  CHECK(outcome.disposition == Disposition::kDeadLettered);
  // A non-retryable code is permanent even without the flag.
  const Delivery second = f.fetch_one("w1");
  CHECK(f.fail(second, ErrorCode::kUnauthenticated, false, "token refused").disposition ==
        Disposition::kDeadLettered);

  const auto dead = f.dead_letters(10);
  CHECK(f.ids_of(dead) == Ids{first.envelope.id, second.envelope.id});
  REQUIRE(dead.size() == 2);
  REQUIRE(dead[0].history.size() == 1);
  CHECK(dead[0].history[0].error_class == "unavailable");
  CHECK(dead[0].history[0].message == "bad resource");
  REQUIRE(dead[1].history.size() == 1);
  CHECK(dead[1].history[0].error_class == "unauthenticated");
  CHECK(f.stats().delayed == 0);
  CHECK(f.stats().dlq == 2);
}

TEST_CASE_TEMPLATE("max_retries 0 dead-letters on the first failure", B, AOF_QUEUE_BACKENDS) {
  auto config = base_config();
  config.max_retries = 0;
  Fixture<B> f(config);
  f.publish_ids({"a"});
  CHECK(f.fail(f.fetch_one("w")).disposition == Disposition::kDeadLettered);
  CHECK(f.find("a").state == EventState::kDead);
}

}  // namespace
}  // namespace aof::queue::conformance
