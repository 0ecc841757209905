// Memory queue: leases (extend, expiry, stale handles) and release.
#include <doctest/doctest.h>

#include "tests/unit/queue/memory_fixture.h"

namespace aof::queue::testing {
namespace {

using Ids = std::vector<std::string>;

TEST_CASE_FIXTURE(MemoryQueueFixture, "extending a lease keeps the event") {
  publish_ids({"a"});
  const Delivery d = fetch_one("w1");
  clock.advance(Millis(20000));
  REQUIRE(queue->extend(d).ok());
  clock.advance(Millis(20000));  // 40 s after the fetch, 20 s after the extension
  CHECK(*queue->maintain() == 0);
  CHECK(fetch("w2").empty());
  REQUIRE(queue->ack(d, {}).ok());
  CHECK(find("a").envelope.history.empty());
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "an expired lease is reclaimed for another consumer") {
  publish_ids({"a"});
  const Delivery first = fetch_one("w1");
  clock.advance(Millis(29999));
  CHECK(fetch("w2").empty());
  clock.advance(Millis(1));

  const Delivery second = fetch_one("w2");
  CHECK(second.envelope.id == "a");
  CHECK(second.envelope.attempt == 2);
  CHECK(second.handle != first.handle);
  REQUIRE(second.envelope.history.size() == 1);
  const auto& h = second.envelope.history[0];
  CHECK(h.attempt == 1);
  CHECK(h.worker == "w1");
  CHECK(h.at == to_rfc3339(clock.now()));
  CHECK(h.error_class == "lease_expired");
  CHECK(h.message == "lease of 30000 ms expired");
}

TEST_CASE_FIXTURE(MemoryQueueFixture,
                  "a stale handle after reclaim is not found and changes nothing") {
  publish_ids({"a"});
  const Delivery stale = fetch_one("w1");
  clock.advance(Millis(30000));
  const Delivery live = fetch_one("w2");

  CHECK(queue->ack(stale, {}).error().code() == ErrorCode::kNotFound);
  CHECK(queue->extend(stale).error().code() == ErrorCode::kNotFound);
  CHECK(queue->release(stale).error().code() == ErrorCode::kNotFound);
  const auto failed = queue->fail(stale, Failure{ErrorCode::kTimeout, "late", false});
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code() == ErrorCode::kNotFound);
  CHECK(failed.error().message() ==
        "fail: event a is not leased under this delivery (lease lost or already settled)");

  const EventRecord record = find("a");
  CHECK(record.state == EventState::kRunning);
  CHECK(record.envelope.history.size() == 1);
  CHECK(record.envelope.attempt == 2);
  REQUIRE(queue->ack(live, {}).ok());
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "a reclaimed event that was not re-fetched is not held") {
  publish_ids({"a"});
  const Delivery stale = fetch_one("w1");
  clock.advance(Millis(30000));
  CHECK(*queue->maintain() == 1);
  CHECK(find("a").state == EventState::kWaiting);
  CHECK(queue->ack(stale, {}).error().code() == ErrorCode::kNotFound);
  CHECK(stats().depth == 1);
}

TEST_CASE("expired leases count as attempts and dead-letter when used up") {
  auto config = test_config();
  config.max_retries = 1;
  MemoryQueueFixture f(config);
  f.publish_ids({"a"});
  CHECK(f.fetch_one("w1").envelope.attempt == 1);
  f.clock.advance(Millis(30000));
  CHECK(f.fetch_one("w2").envelope.attempt == 2);
  f.clock.advance(Millis(30000));
  CHECK(f.fetch("w3").empty());

  const EventRecord record = f.find("a");
  CHECK(record.state == EventState::kDead);
  REQUIRE(record.envelope.history.size() == 2);
  CHECK(record.envelope.history[0].worker == "w1");
  CHECK(record.envelope.history[1].worker == "w2");
  CHECK(record.envelope.history[1].attempt == 2);
  CHECK(f.stats().dlq == 1);
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "release returns the event first and counts no attempt") {
  publish_ids({"a", "b"});
  const Delivery a = fetch_one("w1");
  REQUIRE(queue->release(a).ok());
  const Delivery again = fetch_one("w2");
  CHECK(again.envelope.id == "a");
  CHECK(again.envelope.attempt == 1);
  CHECK(again.envelope.history.empty());
  CHECK(queue->ack(a, {}).error().code() == ErrorCode::kNotFound);  // released: stale
  REQUIRE(queue->release(again).ok());
  CHECK(ids_of(fetch("w3")) == Ids{"a", "b"});
}

}  // namespace
}  // namespace aof::queue::testing
