// Memory queue: publish, FIFO fetch, ack, dedup, lookup and stats.
#include <doctest/doctest.h>

#include "tests/unit/queue/memory_fixture.h"

namespace aof::queue::testing {
namespace {

using Ids = std::vector<std::string>;

TEST_CASE_FIXTURE(MemoryQueueFixture, "events are fetched in publish order and acked once") {
  publish_ids({"a", "b", "c"});
  const auto deliveries = fetch("w1");
  CHECK(ids_of(deliveries) == Ids{"a", "b", "c"});
  for (const auto& d : deliveries) {
    CHECK(d.envelope.attempt == 1);
    CHECK(d.consumer == "w1");
    REQUIRE(queue->ack(d, {{"ok", true}}).ok());
  }
  CHECK(fetch("w1").empty());
  const EventRecord record = find("b");
  CHECK(record.state == EventState::kDone);
  CHECK(record.result_json == R"({"ok":true})");
  CHECK(record.finished_at == to_rfc3339(clock.now()));
  CHECK(record.envelope.attempt == 1);
  // A second ack of a settled delivery changes nothing.
  CHECK(queue->ack(deliveries[1], {}).error().code() == ErrorCode::kNotFound);
  CHECK(stats().results == 3);
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "fetch leases at most max events") {
  publish_ids({"a", "b", "c", "d", "e"});
  CHECK(ids_of(fetch("w1", 2)) == Ids{"a", "b"});
  CHECK(ids_of(fetch("w2", 0)).empty());
  CHECK(ids_of(fetch("w2", 3)) == Ids{"c", "d", "e"});
  CHECK(fetch("w3", 3).empty());
  CHECK(stats().pending == 5);
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "every lease gets its own handle") {
  publish_ids({"a", "b"});
  const auto deliveries = fetch("w1");
  REQUIRE(deliveries.size() == 2);
  CHECK(deliveries[0].handle != deliveries[1].handle);
  CHECK_FALSE(deliveries[0].handle.empty());
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "publish refuses an envelope without id or over limits") {
  auto missing = queue->publish(envelope("")).get();
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code() == ErrorCode::kInvalidArgument);
  CHECK(missing.error().message() == "publish: envelope.id: must not be empty");

  auto big = envelope("big", "key-1");
  big.body.assign(26214401, 'x');
  auto refused = queue->publish(big).get();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message() ==
        "publish: envelope.body: 26214401 bytes exceeds the 26214400-byte limit");
  // A refused publish consumes no dedup key.
  CHECK(publish(envelope("small", "key-1")).status == PublishStatus::kAccepted);
  CHECK(fetch_one("w").envelope.id == "small");
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "a dedup key is a duplicate within the window only") {
  CHECK(publish(envelope("a", "gh:1")).status == PublishStatus::kAccepted);
  const PublishReceipt dup = publish(envelope("b", "gh:1"));
  CHECK(dup.status == PublishStatus::kDuplicate);
  CHECK(dup.event_id == "b");
  CHECK(stats().depth == 1);
  CHECK(queue->find_event("b").error().code() == ErrorCode::kNotFound);

  clock.advance(Millis(59999));
  CHECK(publish(envelope("c", "gh:1")).status == PublishStatus::kDuplicate);
  clock.advance(Millis(1));  // the window (60 s) has passed
  CHECK(publish(envelope("d", "gh:1")).status == PublishStatus::kAccepted);
  CHECK(publish(envelope("e", "gh:1")).status == PublishStatus::kDuplicate);
  CHECK(ids_of(fetch("w")) == Ids{"a", "d"});
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "events without a dedup key are never duplicates") {
  CHECK(publish(envelope("a")).status == PublishStatus::kAccepted);
  CHECK(publish(envelope("b")).status == PublishStatus::kAccepted);
  CHECK(stats().depth == 2);
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "republishing a known event id is a duplicate") {
  // The spool forwards idempotently by event id: a second forward must not run it twice.
  publish_ids({"a"});
  CHECK(publish(envelope("a")).status == PublishStatus::kDuplicate);
  REQUIRE(queue->ack(fetch_one("w"), {}).ok());
  CHECK(publish(envelope("a")).status == PublishStatus::kDuplicate);
  CHECK(stats().depth == 0);
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "a replay (newer generation) replaces the dead letter") {
  publish(envelope("a", "gh:1"));
  CHECK(fail(fetch_one("w"), ErrorCode::kInvalidArgument).disposition ==
        Disposition::kDeadLettered);
  auto replay = find("a").envelope;
  replay.generation = 1;
  replay.attempt = 0;
  // Same dedup key inside the window: a replay is deliberate, not a provider redelivery.
  CHECK(publish(replay).status == PublishStatus::kAccepted);
  CHECK(stats().dlq == 0);
  const Delivery again = fetch_one("w");
  CHECK(again.envelope.generation == 1);
  CHECK(again.envelope.attempt == 1);
  CHECK(again.envelope.history.size() == 1);  // the replay keeps the old history
  CHECK(publish(replay).status == PublishStatus::kDuplicate);
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "find_event takes an event id or a delivery id") {
  publish(envelope("evt-1", "", "gh-delivery-1"));
  CHECK(find("gh-delivery-1").envelope.id == "evt-1");
  CHECK(find("evt-1").state == EventState::kWaiting);
  const Delivery d = fetch_one("w");
  CHECK(find("gh-delivery-1").state == EventState::kRunning);
  CHECK(find("gh-delivery-1").envelope.attempt == 1);
  fail(d);
  CHECK(find("gh-delivery-1").state == EventState::kRetrying);
  clock.advance(Millis(1000));
  REQUIRE(queue->maintain().ok());
  CHECK(find("gh-delivery-1").state == EventState::kWaiting);
  REQUIRE(queue->ack(fetch_one("w"), {{"done", 1}}).ok());
  CHECK(find("gh-delivery-1").state == EventState::kDone);
  const auto unknown = queue->find_event("nope");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code() == ErrorCode::kNotFound);
  CHECK(unknown.error().message() == "no event with event id or delivery id nope");
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "stats count every state and the oldest waiting age") {
  CHECK_FALSE(stats().oldest_waiting_ms.has_value());
  publish_ids({"a", "b", "c", "d"});
  clock.advance(Millis(5000));
  publish_ids({"e"});
  CHECK(stats().oldest_waiting_ms == 5000);

  const auto two = fetch("w", 2);                     // a, b
  fail(two[0]);                                       // a → delayed
  fail(fetch_one("w"), ErrorCode::kInvalidArgument);  // c → dead
  const QueueStats s = stats();
  CHECK(s.depth == 2);    // d, e
  CHECK(s.pending == 1);  // b
  CHECK(s.delayed == 1);  // a
  CHECK(s.dlq == 1);      // c
  CHECK(s.results == 0);
  CHECK(s.oldest_waiting_ms == 5000);
  REQUIRE(queue->ack(two[1], {}).ok());
  CHECK(stats().results == 1);
  CHECK(stats().pending == 0);
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
