// Memory queue specifics the conformance suite leaves open: the exact retry boundary on the
// injected FakeClock, and the injected jitter.
#include <doctest/doctest.h>

#include "tests/unit/queue/memory_fixture.h"

namespace aof::queue::testing {
namespace {

TEST_CASE_FIXTURE(MemoryQueueFixture, "a retry is due exactly at its delay on the injected clock") {
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

}  // namespace
}  // namespace aof::queue::testing
