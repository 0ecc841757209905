// Conformance: what operators change (replay, purge_dead_letter), what they see of consumers
// in stats(), and the pause flag of `aof drain` in the state store — on every backend.
#include <doctest/doctest.h>

#include "common/queue/pause.h"
#include "tests/unit/queue/conformance_fixture.h"

namespace aof::queue::conformance {
namespace {

// Publishes `id` and dead-letters it with one permanent failure by worker "w1".
template <typename B>
void make_dead(Fixture<B>& f, const std::string& id, const std::string& delivery = "") {
  f.publish(f.envelope(id, "", delivery));
  const Delivery d = f.fetch_one("w1");
  REQUIRE(d.envelope.id == id);
  REQUIRE(f.fail(d, ErrorCode::kInvalidArgument, true, "no such flow").disposition ==
          Disposition::kDeadLettered);
}

ReplayRequest replay_of(const std::string& id) {
  ReplayRequest request;
  request.event_id = id;
  request.by = "ops@test";
  return request;
}

}  // namespace

TEST_CASE_TEMPLATE("replay publishes a dead letter again as a new generation", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  make_dead(f, "evt-r", "gh-r");
  REQUIRE(f.stats().dlq == 1);

  ReplayRequest request = replay_of("evt-r");
  request.set = {{"action", "synchronize"}, {"metadata.pr_number", "7"}};
  auto outcome = f.queue->replay(request);
  REQUIRE_MESSAGE(outcome.ok(), outcome.error().message());
  CHECK(outcome->event_id == "evt-r");
  CHECK(outcome->generation == 1);

  // The index points at the new generation, by event id and by delivery id.
  for (const char* id : {"evt-r", "gh-r"}) {
    const EventRecord r = f.find(id);
    CHECK(r.state == EventState::kWaiting);
    CHECK(r.envelope.generation == 1);
    CHECK(r.envelope.attempt == 0);
    REQUIRE(r.envelope.history.size() == 1);  // the original's failure is kept
    CHECK(r.envelope.history[0].message == "no such flow");
    REQUIRE(r.envelope.replays.size() == 1);
    CHECK(r.envelope.replays[0].from_generation == 0);
    CHECK(r.envelope.replays[0].by == "ops@test");
    CHECK_FALSE(r.envelope.replays[0].at.empty());
    CHECK(r.envelope.replays[0].changes.find("action:  -> synchronize") != std::string::npos);
  }
  const QueueStats s = f.stats();
  CHECK(s.dlq == 0);
  CHECK(s.depth == 1);
  CHECK(f.dead_letters(10).empty());

  const Delivery again = f.fetch_one("w2");
  CHECK(again.envelope.generation == 1);
  CHECK(again.envelope.attempt == 1);
  CHECK(again.envelope.action == "synchronize");
  CHECK(again.envelope.metadata["pr_number"] == 7);
  CHECK(again.envelope.body == R"({"action":"opened"})");
  f.ack(again, {{"ok", true}});
  CHECK(f.find("evt-r").state == EventState::kDone);
  CHECK(f.find("evt-r").envelope.generation == 1);
}

TEST_CASE_TEMPLATE("a replayed event that dies again is replayed as the next generation", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  make_dead(f, "evt-g");
  REQUIRE(f.queue->replay(replay_of("evt-g")).ok());
  REQUIRE(f.fail(f.fetch_one("w1"), ErrorCode::kInvalidArgument, true, "still broken")
              .disposition == Disposition::kDeadLettered);
  const EventRecord dead = f.find("evt-g");
  CHECK(dead.state == EventState::kDead);
  CHECK(dead.envelope.generation == 1);
  CHECK(dead.envelope.history.size() == 2);
  REQUIRE(f.dead_letters(10).size() == 1);

  ReplayRequest request = replay_of("evt-g");
  request.body = "new body";
  auto outcome = f.queue->replay(request);
  REQUIRE(outcome.ok());
  CHECK(outcome->generation == 2);
  const EventRecord r = f.find("evt-g");
  REQUIRE(r.envelope.replays.size() == 2);
  CHECK(r.envelope.replays[1].from_generation == 1);
  CHECK(r.envelope.replays[1].changes.find("body: replaced, was 19 bytes sha256 ") == 0);
  CHECK(f.fetch_one("w1").envelope.body == "new body");
}

TEST_CASE_TEMPLATE("replay of what is not a dead letter is not found and changes nothing", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  make_dead(f, "dead");
  f.publish_ids({"waiting"});

  for (const char* id : {"waiting", "unknown"}) {
    auto outcome = f.queue->replay(replay_of(id));
    REQUIRE_FALSE(outcome.ok());
    CHECK(outcome.error().code() == ErrorCode::kNotFound);
    CHECK(outcome.error().message().find(id) != std::string::npos);
  }
  CHECK(f.find("waiting").envelope.generation == 0);

  ReplayRequest bad = replay_of("dead");
  bad.set = {{"no_such_field", "x"}};
  auto refused = f.queue->replay(bad);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kInvalidArgument);
  CHECK(f.find("dead").state == EventState::kDead);

  REQUIRE(f.queue->replay(replay_of("dead")).ok());
  auto twice = f.queue->replay(replay_of("dead"));  // someone was first
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code() == ErrorCode::kNotFound);
  CHECK(f.stats().depth == 2);
}

TEST_CASE_TEMPLATE("purge deletes a dead letter and forgets the event", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  make_dead(f, "gone", "gh-gone");
  make_dead(f, "kept");
  f.publish_ids({"waiting"});

  REQUIRE(f.queue->purge_dead_letter("gone").ok());
  CHECK(error_code(f.queue->find_event("gone")) == ErrorCode::kNotFound);
  CHECK(error_code(f.queue->find_event("gh-gone")) == ErrorCode::kNotFound);
  CHECK(Fixture<B>::ids_of(f.dead_letters(10)) == Ids{"kept"});
  CHECK(f.stats().dlq == 1);

  CHECK(error_code(f.queue->purge_dead_letter("gone")) == ErrorCode::kNotFound);
  CHECK(error_code(f.queue->purge_dead_letter("waiting")) == ErrorCode::kNotFound);
  CHECK(f.find("waiting").state == EventState::kWaiting);
  CHECK(f.stats().depth == 1);
}

TEST_CASE_TEMPLATE("stats lists consumers with their leases and idle time", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  f.publish_ids({"a", "b"});
  REQUIRE(f.fetch_one("w-busy").envelope.id == "a");
  const QueueStats s = f.stats();
  CHECK(s.pending == 1);
  CHECK(s.depth == 1);
  if (!s.consumers_known) {
    // NATS only: one durable pull consumer serves every worker; it says so, lists none.
    CHECK(std::string(f.queue->backend()) == "nats");
    CHECK(s.consumers.empty());
    return;
  }
  std::map<std::string, ConsumerStats> by_name;
  for (const auto& c : s.consumers) by_name[c.name] = c;
  REQUIRE(by_name.contains("w-busy"));
  CHECK(by_name["w-busy"].pending == 1);
  CHECK(by_name["w-busy"].idle_ms >= 0);
}

TEST_CASE_TEMPLATE("the pause of aof drain: all, named, lifted", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  auto none = read_pause(*f.state);
  REQUIRE(none.ok());
  CHECK(none->empty());
  CHECK_FALSE(none->pauses("w1"));

  const TimePoint now = SystemClock::instance().now();
  REQUIRE(set_pause(*f.state, std::string("w1"), "ops@a", now).ok());
  REQUIRE(set_pause(*f.state, std::string("w2"), "ops@b", now).ok());
  auto named = read_pause(*f.state);
  REQUIRE(named.ok());
  CHECK(named->pauses("w1"));
  CHECK(named->pauses("w2"));
  CHECK_FALSE(named->pauses("w3"));
  CHECK(named->by == "ops@b");

  REQUIRE(set_pause(*f.state, std::nullopt, "ops@a", now).ok());
  auto left = clear_pause(*f.state, std::string("w1"));
  REQUIRE(left.ok());
  CHECK(left->all);  // a named resume leaves the pause of everyone in force
  CHECK(left->pauses("w1"));
  CHECK_FALSE(left->consumers.contains("w1"));

  auto lifted = clear_pause(*f.state, std::nullopt);
  REQUIRE(lifted.ok());
  CHECK(lifted->empty());
  auto after = read_pause(*f.state);
  REQUIRE(after.ok());
  CHECK_FALSE(after->pauses("w2"));
}

TEST_CASE_TEMPLATE("a pause value aof drain did not write is an error, not a pause", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  REQUIRE(f.state->put(kPauseKey, "yes please", Millis(0)).ok());
  auto pause = read_pause(*f.state);
  REQUIRE_FALSE(pause.ok());
  CHECK(pause.error().code() == ErrorCode::kInternal);
}

}  // namespace aof::queue::conformance
