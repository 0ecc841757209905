// Conformance: publish, fetch, ack, dedup and replay on every backend.
#include <doctest/doctest.h>

#include <future>

#include "tests/unit/queue/conformance_fixture.h"

namespace aof::queue::conformance {
namespace {

TEST_CASE_TEMPLATE("a published event is fetched, acked and its result kept", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  CHECK(f.publish(f.envelope("a")).event_id == "a");
  const Delivery d = f.fetch_one("w1");
  CHECK(d.envelope.id == "a");
  CHECK(d.envelope.attempt == 1);
  CHECK(d.envelope.body == R"({"action":"opened"})");
  CHECK(d.consumer == "w1");
  f.ack(d, {{"ok", true}, {"comment", "looks good"}});

  const EventRecord record = f.find("a");
  CHECK(record.state == EventState::kDone);
  CHECK(nlohmann::json::parse(record.result_json) ==
        nlohmann::json{{"ok", true}, {"comment", "looks good"}});
  CHECK_FALSE(record.finished_at.empty());
  CHECK(record.envelope.attempt == 1);
  CHECK(record.envelope.history.empty());
  CHECK(f.stats().results == 1);
  CHECK(f.stats().depth == 0);
  CHECK(f.stats().pending == 0);
  // A settled delivery cannot be settled again, and nothing is delivered twice.
  const Status again = f.queue->ack(d, {});
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code() == ErrorCode::kNotFound);
  CHECK(f.fetch("w2", 10, Millis(200)).empty());
}

TEST_CASE_TEMPLATE("fetch leases at most max events, each under its own handle", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  f.publish_ids({"a", "b", "c", "d", "e"});
  const auto two = f.fetch_n("w1", 2);  // each fetch returns at most what it asked for
  CHECK(f.fetch("w2", 0, Millis(0)).empty());
  const auto three = f.fetch_n("w2", 3);
  CHECK(f.fetch("w3", 3, Millis(200)).empty());

  Ids all = f.ids_of(two);
  for (const auto& id : f.ids_of(three)) all.push_back(id);
  CHECK(f.sorted(all) == Ids{"a", "b", "c", "d", "e"});
  CHECK(two[0].handle != two[1].handle);
  CHECK_FALSE(two[0].handle.empty());
  CHECK(f.stats().pending == 5);
  CHECK(f.stats().depth == 0);
}

TEST_CASE_TEMPLATE("fetch refuses an anonymous consumer", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  f.publish_ids({"a"});
  const auto deliveries = f.queue->fetch("", 1, Millis(0));
  REQUIRE_FALSE(deliveries.ok());
  CHECK(deliveries.error().code() == ErrorCode::kInvalidArgument);
}

TEST_CASE_TEMPLATE("a fetch on an empty queue waits, then returns nothing", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  const auto deliveries = f.queue->fetch("w", 5, Millis(300));
  REQUIRE(deliveries.ok());
  CHECK(deliveries->empty());
}

TEST_CASE_TEMPLATE("a blocking fetch wakes up on a publish", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  // The wait (60 s) exceeds what the test allows (30 s): a fetch that only looked once, or
  // only returned when its wait ran out, fails the checks below instead of passing slowly.
  auto fetched =
      std::async(std::launch::async, [&] { return f.queue->fetch("w", 1, Millis(60000)); });
  std::this_thread::sleep_for(Millis(100));  // usually blocked by now; not needed for a pass
  f.publish_ids({"a"});
  REQUIRE(fetched.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  const auto deliveries = fetched.get();
  REQUIRE(deliveries.ok());
  REQUIRE(deliveries->size() == 1);
  CHECK((*deliveries)[0].envelope.id == "a");
}

TEST_CASE_TEMPLATE("an invalid envelope is refused and consumes no dedup key", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  auto missing = f.queue->publish(f.envelope("", "key-1")).get();
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code() == ErrorCode::kInvalidArgument);
  CHECK(missing.error().message().find("envelope.id: must not be empty") != std::string::npos);

  auto big = f.envelope("big", "key-1");
  big.body.assign(26214401, 'x');
  auto refused = f.queue->publish(big).get();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kInvalidArgument);
  CHECK(refused.error().message().find(
            "envelope.body: 26214401 bytes exceeds the 26214400-byte limit") != std::string::npos);

  CHECK(error_code(f.queue->find_event("big")) == ErrorCode::kNotFound);
  CHECK(f.publish(f.envelope("small", "key-1")).status == PublishStatus::kAccepted);
  CHECK(f.fetch_one("w").envelope.id == "small");
}

TEST_CASE_TEMPLATE("a dedup key seen within the window is a duplicate and writes nothing", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  CHECK(f.publish(f.envelope("a", "gh:1", "del-a")).status == PublishStatus::kAccepted);
  const PublishReceipt dup = f.publish(f.envelope("b", "gh:1", "del-b"));
  CHECK(dup.status == PublishStatus::kDuplicate);
  CHECK(dup.event_id == "b");
  CHECK(f.stats().depth == 1);
  CHECK(error_code(f.queue->find_event("b")) == ErrorCode::kNotFound);
  CHECK(error_code(f.queue->find_event("del-b")) == ErrorCode::kNotFound);
  // Still a duplicate once the first is done: the window, not the event, remembers the key.
  f.ack(f.fetch_one("w"));
  CHECK(f.publish(f.envelope("c", "gh:1")).status == PublishStatus::kDuplicate);
  // Events without a dedup key are never duplicates of each other.
  CHECK(f.publish(f.envelope("d")).status == PublishStatus::kAccepted);
  CHECK(f.publish(f.envelope("e")).status == PublishStatus::kAccepted);
  CHECK(f.stats().depth == 2);
}

TEST_CASE_TEMPLATE("a dedup key is accepted again once its window has passed", B,
                   AOF_QUEUE_BACKENDS) {
  auto config = base_config();
  config.dedup_window_secs = 1;
  Fixture<B> f(config);
  const Stopwatch since;
  CHECK(f.publish(f.envelope("a", "gh:1")).status == PublishStatus::kAccepted);
  const auto second = f.publish(f.envelope("b", "gh:1")).status;
  if (since.elapsed() < Millis(1000)) CHECK(second == PublishStatus::kDuplicate);
  std::this_thread::sleep_for(Millis(1500));
  CHECK(f.publish(f.envelope("c", "gh:1")).status == PublishStatus::kAccepted);
  CHECK(f.publish(f.envelope("d", "gh:1")).status == PublishStatus::kDuplicate);
}

TEST_CASE_TEMPLATE("republishing a known event id is a duplicate", B, AOF_QUEUE_BACKENDS) {
  // The spool forwards idempotently by event id: a second forward must not run it twice.
  Fixture<B> f;
  f.publish_ids({"a"});
  CHECK(f.publish(f.envelope("a")).status == PublishStatus::kDuplicate);
  CHECK(f.stats().depth == 1);
  f.ack(f.fetch_one("w"));
  CHECK(f.publish(f.envelope("a")).status == PublishStatus::kDuplicate);
  CHECK(f.stats().depth == 0);
  CHECK(f.fetch("w", 10, Millis(200)).empty());
}

TEST_CASE_TEMPLATE("a replay (newer generation) replaces the dead letter", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  f.publish(f.envelope("a", "gh:1", "del-a"));
  CHECK(f.fail(f.fetch_one("w"), ErrorCode::kInvalidArgument).disposition ==
        Disposition::kDeadLettered);
  REQUIRE(f.stats().dlq == 1);
  auto replay = f.find("a").envelope;
  replay.generation = 1;
  replay.attempt = 0;
  // Same dedup key inside the window: a replay is deliberate, not a provider redelivery.
  CHECK(f.publish(replay).status == PublishStatus::kAccepted);
  CHECK(f.stats().dlq == 0);
  CHECK(f.dead_letters(10).empty());
  CHECK(f.find("del-a").state == EventState::kWaiting);

  const Delivery again = f.fetch_one("w");
  CHECK(again.envelope.id == "a");
  CHECK(again.envelope.generation == 1);
  CHECK(again.envelope.attempt == 1);
  CHECK(again.envelope.history.size() == 1);  // the replay keeps the old history
  CHECK(f.publish(replay).status == PublishStatus::kDuplicate);
  f.ack(again);
  CHECK(f.find("a").envelope.generation == 1);
}

}  // namespace
}  // namespace aof::queue::conformance
