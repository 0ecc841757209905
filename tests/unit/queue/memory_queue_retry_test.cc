// Memory queue: retry scheduling, dead letters and retention.
#include <doctest/doctest.h>

#include "tests/unit/queue/memory_fixture.h"

namespace aof::queue::testing {
namespace {

using Ids = std::vector<std::string>;

TEST_CASE_FIXTURE(MemoryQueueFixture, "a retry is not deliverable before its delay") {
  publish_ids({"a"});
  const FailOutcome first = fail(fetch_one("w1"), ErrorCode::kUnavailable);
  CHECK(first.disposition == Disposition::kRetryScheduled);
  CHECK(first.delay == Millis(1000));
  CHECK(stats().delayed == 1);
  clock.advance(Millis(999));
  CHECK(fetch("w1").empty());
  clock.advance(Millis(1));
  const Delivery second = fetch_one("w2");
  CHECK(second.envelope.attempt == 2);
  REQUIRE(second.envelope.history.size() == 1);
  CHECK(second.envelope.history[0].attempt == 1);
  CHECK(second.envelope.history[0].worker == "w1");
  CHECK(second.envelope.history[0].error_class == "unavailable");
  CHECK(second.envelope.history[0].message == "boom");

  // The second failure waits for the doubled ceiling.
  CHECK(fail(second).delay == Millis(2000));
  clock.advance(Millis(1999));
  CHECK(fetch("w1").empty());
  clock.advance(Millis(1));
  CHECK(fetch_one("w1").envelope.attempt == 3);
}

TEST_CASE("a retry with zero jitter is deliverable at once") {
  MemoryQueueFixture f(test_config(), [](std::int64_t) { return std::int64_t{0}; });
  f.publish_ids({"a"});
  CHECK(f.fail(f.fetch_one("w")).delay == Millis(0));
  CHECK(f.fetch_one("w").envelope.attempt == 2);
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "a permanent failure dead-letters at once with history") {
  publish_ids({"a", "b"});
  const FailOutcome outcome = fail(fetch_one("w1"), ErrorCode::kUnavailable, true);
  CHECK(outcome.disposition == Disposition::kDeadLettered);
  // A non-retryable code is permanent even without the flag.
  CHECK(fail(fetch_one("w1"), ErrorCode::kUnauthenticated).disposition ==
        Disposition::kDeadLettered);

  const auto dead = queue->dead_letters(10);
  REQUIRE(dead.ok());
  REQUIRE(dead->size() == 2);
  CHECK((*dead)[0].id == "a");
  REQUIRE((*dead)[0].history.size() == 1);
  CHECK((*dead)[0].history[0].error_class == "unavailable");
  CHECK((*dead)[1].history[0].error_class == "unauthenticated");
  const EventRecord record = find("a");
  CHECK(record.state == EventState::kDead);
  CHECK(record.finished_at == to_rfc3339(clock.now()));
  CHECK(stats().delayed == 0);
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "an event is attempted exactly 1 + max_retries times") {
  publish_ids({"a"});
  int attempts = 0;
  std::vector<Disposition> outcomes;
  while (attempts < 20) {  // bounded: a queue that never dead-letters fails, not hangs
    const auto deliveries = fetch("w");
    if (deliveries.empty()) break;
    ++attempts;
    CHECK(deliveries[0].envelope.attempt == attempts);
    const FailOutcome outcome = fail(deliveries[0]);
    outcomes.push_back(outcome.disposition);
    clock.advance(outcome.delay);
  }
  CHECK(attempts == 1 + config.max_retries);
  CHECK(outcomes ==
        std::vector<Disposition>{Disposition::kRetryScheduled, Disposition::kRetryScheduled,
                                 Disposition::kRetryScheduled, Disposition::kDeadLettered});
  const EventRecord record = find("a");
  CHECK(record.state == EventState::kDead);
  REQUIRE(record.envelope.history.size() == 4);
  for (int i = 0; i < 4; ++i) CHECK(record.envelope.history[i].attempt == i + 1);
}

TEST_CASE("max_retries 0 dead-letters on the first failure") {
  auto config = test_config();
  config.max_retries = 0;
  MemoryQueueFixture f(config);
  f.publish_ids({"a"});
  CHECK(f.fail(f.fetch_one("w")).disposition == Disposition::kDeadLettered);
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "release between failures does not use up a retry") {
  publish_ids({"a"});
  for (int i = 0; i < 5; ++i) REQUIRE(queue->release(fetch_one("w")).ok());
  const Delivery d = fetch_one("w");
  CHECK(d.envelope.attempt == 1);
  CHECK(fail(d).disposition == Disposition::kRetryScheduled);
}

TEST_CASE("results and dead letters are trimmed oldest first") {
  auto config = test_config();
  config.retention.results_max = 2;
  config.retention.dlq_max = 2;
  MemoryQueueFixture f(config);
  f.publish_ids({"r1", "r2", "r3", "d1", "d2", "d3"});
  for (int i = 0; i < 3; ++i) REQUIRE(f.queue->ack(f.fetch_one("w"), {}).ok());
  for (int i = 0; i < 3; ++i) f.fail(f.fetch_one("w"), ErrorCode::kInvalidArgument);

  CHECK(f.stats().results == 2);
  CHECK(f.stats().dlq == 2);
  CHECK(f.queue->find_event("r1").error().code() == ErrorCode::kNotFound);
  CHECK(f.queue->find_event("d1").error().code() == ErrorCode::kNotFound);
  CHECK(f.find("r2").state == EventState::kDone);

  const auto all = f.queue->dead_letters(10);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].id == "d2");
  CHECK((*all)[1].id == "d3");  // newest last
  const auto newest = f.queue->dead_letters(1);
  REQUIRE(newest->size() == 1);
  CHECK((*newest)[0].id == "d3");
}

TEST_CASE("a trimmed event can no longer be found by its delivery id") {
  auto config = test_config();
  config.retention.results_max = 1;
  MemoryQueueFixture f(config);
  f.publish(MemoryQueueFixture::envelope("a", "", "del-a"));
  f.publish(MemoryQueueFixture::envelope("b", "", "del-b"));
  for (int i = 0; i < 2; ++i) REQUIRE(f.queue->ack(f.fetch_one("w"), {}).ok());
  CHECK(f.queue->find_event("del-a").error().code() == ErrorCode::kNotFound);
  CHECK(f.find("del-b").envelope.id == "b");
}

}  // namespace
}  // namespace aof::queue::testing
