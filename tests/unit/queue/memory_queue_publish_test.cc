// Memory queue specifics the conformance suite (conformance_*_test.cc) leaves open: FIFO
// order and exact times on the injected FakeClock.
#include <doctest/doctest.h>

#include "tests/unit/queue/memory_fixture.h"

namespace aof::queue::testing {
namespace {

using Ids = std::vector<std::string>;

TEST_CASE_FIXTURE(MemoryQueueFixture, "events are fetched in publish order") {
  publish_ids({"a", "b", "c"});
  CHECK(ids_of(fetch("w1", 2)) == Ids{"a", "b"});
  CHECK(ids_of(fetch("w1")) == Ids{"c"});
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "finished_at is the injected clock's time") {
  publish_ids({"a"});
  clock.advance(Millis(1234));
  REQUIRE(queue->ack(fetch_one("w"), {{"ok", true}}).ok());
  CHECK(find("a").finished_at == to_rfc3339(clock.now()));
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "the dedup window ends exactly on the injected clock") {
  CHECK(publish(envelope("a", "gh:1")).status == PublishStatus::kAccepted);
  clock.advance(Millis(59999));
  CHECK(publish(envelope("c", "gh:1")).status == PublishStatus::kDuplicate);
  clock.advance(Millis(1));  // the window (60 s) has passed
  CHECK(publish(envelope("d", "gh:1")).status == PublishStatus::kAccepted);
  CHECK(publish(envelope("e", "gh:1")).status == PublishStatus::kDuplicate);
  CHECK(ids_of(fetch("w")) == Ids{"a", "d"});
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "oldest_waiting_ms is measured on the injected clock") {
  publish_ids({"a", "b"});
  clock.advance(Millis(5000));
  publish_ids({"c"});
  CHECK(stats().oldest_waiting_ms == 5000);
  fetch("w", 1);  // a leased: b is now the oldest waiting, still 5 s old
  CHECK(stats().oldest_waiting_ms == 5000);
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "to_string names every state") {
  CHECK(std::string(to_string(EventState::kWaiting)) == "waiting");
  CHECK(std::string(to_string(EventState::kRunning)) == "running");
  CHECK(std::string(to_string(EventState::kRetrying)) == "retrying");
  CHECK(std::string(to_string(EventState::kDone)) == "done");
  CHECK(std::string(to_string(EventState::kDead)) == "dead");
  CHECK(std::string(queue->backend()) == "memory");
}

}  // namespace
}  // namespace aof::queue::testing
