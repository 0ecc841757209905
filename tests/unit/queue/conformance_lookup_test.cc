// Conformance: what operators see (find_event, stats, dead_letters) on every backend.
#include <doctest/doctest.h>

#include "tests/unit/queue/conformance_fixture.h"

namespace aof::queue::conformance {
namespace {

// The same record, looked up by event id and by provider delivery id.
template <typename B>
EventRecord find_both_ways(Fixture<B>& f, const std::string& id, const std::string& delivery) {
  const EventRecord by_id = f.find(id);
  const EventRecord by_delivery = f.find(delivery);
  CHECK(by_delivery.envelope.id == id);
  CHECK(by_delivery.state == by_id.state);
  CHECK(by_delivery.envelope.attempt == by_id.envelope.attempt);
  CHECK(by_delivery.envelope.history.size() == by_id.envelope.history.size());
  return by_id;
}

TEST_CASE_TEMPLATE("find_event shows every state by event id and by delivery id", B,
                   AOF_QUEUE_BACKENDS) {
  auto config = base_config();
  config.retry_delay_ms = 500;
  Fixture<B> f(config);
  f.publish(f.envelope("evt-1", "", "gh-delivery-1"));
  EventRecord r = find_both_ways(f, "evt-1", "gh-delivery-1");
  CHECK(r.state == EventState::kWaiting);
  CHECK(r.envelope.attempt == 0);
  CHECK(r.envelope.history.empty());
  CHECK(r.envelope.platform == "github");

  const Delivery first = f.fetch_one("w1");
  r = find_both_ways(f, "evt-1", "gh-delivery-1");
  CHECK(r.state == EventState::kRunning);
  CHECK(r.envelope.attempt == 1);

  REQUIRE(f.fail(first, ErrorCode::kTimeout, false, "took too long").disposition ==
          Disposition::kRetryScheduled);
  r = find_both_ways(f, "evt-1", "gh-delivery-1");
  CHECK(r.state == EventState::kRetrying);
  CHECK(r.envelope.attempt == 1);
  REQUIRE(r.envelope.history.size() == 1);
  CHECK(r.envelope.history[0].worker == "w1");
  CHECK(r.envelope.history[0].error_class == "timeout");
  CHECK(r.envelope.history[0].message == "took too long");

  CHECK(f.maintain_until([&] { return f.find("evt-1").state == EventState::kWaiting; }));
  r = find_both_ways(f, "evt-1", "gh-delivery-1");
  CHECK(r.envelope.history.size() == 1);

  const Delivery second = f.fetch_one("w2");
  CHECK(second.envelope.attempt == 2);
  f.ack(second, {{"done", 1}});
  r = find_both_ways(f, "evt-1", "gh-delivery-1");
  CHECK(r.state == EventState::kDone);
  CHECK(r.envelope.attempt == 2);
  CHECK(r.envelope.history.size() == 1);
  CHECK(nlohmann::json::parse(r.result_json) == nlohmann::json{{"done", 1}});
  CHECK_FALSE(r.finished_at.empty());

  f.publish(f.envelope("evt-2", "", "gh-delivery-2"));
  f.fail(f.fetch_one("w3"), ErrorCode::kInvalidArgument, false, "no such flow");
  r = find_both_ways(f, "evt-2", "gh-delivery-2");
  CHECK(r.state == EventState::kDead);
  CHECK(r.envelope.attempt == 1);
  REQUIRE(r.envelope.history.size() == 1);
  CHECK(r.envelope.history[0].error_class == "invalid_argument");
  CHECK_FALSE(r.finished_at.empty());
}

TEST_CASE_TEMPLATE("find_event of an unknown id is not found", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  f.publish_ids({"a"});
  const auto unknown = f.queue->find_event("nope");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code() == ErrorCode::kNotFound);
  CHECK(unknown.error().message().find("nope") != std::string::npos);
}

TEST_CASE_TEMPLATE("stats count every state and the age of the oldest waiting event", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;  // retries are 60 s away: a failed event stays delayed
  CHECK_FALSE(f.stats().oldest_waiting_ms.has_value());
  const Stopwatch since_first;
  f.publish_ids({"a", "b", "c", "d"});
  std::this_thread::sleep_for(Millis(300));
  f.publish_ids({"e"});
  const QueueStats waiting = f.stats();
  const Millis upper = since_first.elapsed();
  CHECK(waiting.depth == 5);
  REQUIRE(waiting.oldest_waiting_ms.has_value());
  CHECK(*waiting.oldest_waiting_ms >= 290);  // clocks round to the millisecond
  // Not a timing assertion: the age cannot exceed the time since the first publish
  // (plus clock granularity between the broker's clock and ours).
  CHECK(*waiting.oldest_waiting_ms <= upper.count() + 50);

  const auto two = f.fetch_n("w", 2);
  f.fail(two[0]);                                         // → delayed
  f.fail(f.fetch_one("w"), ErrorCode::kInvalidArgument);  // → dead
  QueueStats s = f.stats();
  CHECK(s.depth == 2);
  CHECK(s.pending == 1);
  CHECK(s.delayed == 1);
  CHECK(s.dlq == 1);
  CHECK(s.results == 0);
  CHECK(s.oldest_waiting_ms.has_value());
  f.ack(two[1]);
  s = f.stats();
  CHECK(s.results == 1);
  CHECK(s.pending == 0);
  for (const auto& d : f.fetch_n("w", 2)) f.ack(d);
  s = f.stats();
  CHECK(s.depth == 0);
  CHECK(s.results == 3);
  CHECK_FALSE(s.oldest_waiting_ms.has_value());
}

TEST_CASE_TEMPLATE("dead_letters lists the newest last, at most limit", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  f.publish_ids({"a", "b", "c"});
  Ids order;  // the order they die in, whatever order they were fetched in
  for (int i = 0; i < 3; ++i) {
    const Delivery d = f.fetch_one("w");
    order.push_back(d.envelope.id);
    f.fail(d, ErrorCode::kUnauthenticated, false, "bad token " + d.envelope.id);
    std::this_thread::sleep_for(Millis(5));  // distinct broker timestamps
  }
  const auto all = f.dead_letters(10);
  CHECK(f.ids_of(all) == order);
  REQUIRE(all.size() == 3);
  REQUIRE(all[2].history.size() == 1);
  CHECK(all[2].history[0].message == "bad token " + order[2]);
  CHECK(all[2].attempt == 1);
  CHECK(f.ids_of(f.dead_letters(2)) == Ids{order[1], order[2]});
  CHECK(f.ids_of(f.dead_letters(1)) == Ids{order[2]});
  CHECK(f.dead_letters(0).empty());
}

}  // namespace
}  // namespace aof::queue::conformance
