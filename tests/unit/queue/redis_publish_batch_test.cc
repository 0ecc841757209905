// The batch publish script (issue 3): K events in one call behave as K publish() calls in
// order — a later event with an earlier one's dedup key or event id is a duplicate, queue_max
// counts the batch's own events, and one event's error is its own.
#include <doctest/doctest.h>

#include "common/queue/redis/redis_connection.h"
#include "common/queue/redis/redis_keys.h"
#include "common/queue/redis/redis_scripts.h"
#include "tests/unit/queue/redis_fixture.h"

namespace aof::queue::conformance {
namespace {

using redis_scripts::PublishEvent;
using redis_scripts::PublishTarget;
using testing::RedisServer;

struct BatchFixture {
  RedisServer server;
  std::unique_ptr<RedisConnection> connection = open(server.url());

  static std::unique_ptr<RedisConnection> open(const std::string& url) {
    auto endpoint = parse_redis_url(url);
    REQUIRE(endpoint.ok());
    auto connection = RedisConnection::open(*endpoint);
    REQUIRE(connection.ok());
    for (const auto* script : {&redis_scripts::publish(), &redis_scripts::publish_batch()}) {
      REQUIRE(redis_scripts::load(**connection, *script).ok());
    }
    return std::move(*connection);
  }

  // A queue of its own on the server, with `queue_max` ("0" = none).
  struct Queue {
    RedisKeys keys;
    PublishTarget target;
  };
  Queue queue(const std::string& queue_max) {
    RedisKeys keys(redis_config(server.url()));
    PublishTarget target{keys.stream,  keys.delayed, keys.delayed_env, keys.dlq,
                         keys.results, keys.group,   "60000",          queue_max};
    return Queue{std::move(keys), std::move(target)};
  }

  static PublishEvent event(const Queue& q, const std::string& id, const std::string& dedup_key,
                            int generation = 0) {
    event::Envelope envelope;
    envelope.id = id;
    envelope.platform = "github";
    PublishEvent e;
    e.index = q.keys.index(id);
    e.dedup = q.keys.dedup(dedup_key);
    e.delivery = q.keys.delivery("d-" + id);
    e.envelope = event::to_json(envelope);
    e.generation = std::to_string(generation);
    e.id = id;
    e.use_dedup = !dedup_key.empty();
    e.use_delivery = true;
    return e;
  }

  // Each reply as text: "accepted", "duplicate", or "error: <message>".
  static std::string text(const RedisReply& reply) {
    return reply.is_error() ? "error: " + reply.str : reply.str;
  }

  std::vector<std::string> batch(const Queue& q, const std::vector<PublishEvent>& events) {
    std::vector<const PublishEvent*> pointers;
    for (const auto& e : events) pointers.push_back(&e);
    std::string bytes;
    redis_scripts::append_publish_batch(bytes, q.target, pointers);
    auto replies = connection->round_trip(bytes, 1);
    REQUIRE(replies.ok());
    const RedisReply& reply = replies->front();
    REQUIRE_MESSAGE(reply.is_array(), text(reply));
    REQUIRE(reply.elements.size() == events.size());
    std::vector<std::string> out;
    for (const auto& element : reply.elements) out.push_back(text(element));
    return out;
  }

  std::vector<std::string> one_by_one(const Queue& q, const std::vector<PublishEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
      std::string bytes;
      redis_scripts::append_publish(bytes, q.target, e);
      auto replies = connection->round_trip(bytes, 1);
      REQUIRE(replies.ok());
      out.push_back(text(replies->front()));
    }
    return out;
  }

  std::string redis(const std::vector<std::string>& args) { return server.command(args); }
};

TEST_CASE("redis publish batch: duplicates of each other inside one batch") {
  BatchFixture f;
  auto q = f.queue("0");
  const auto replies = f.batch(
      q, {BatchFixture::event(q, "a", "k1"), BatchFixture::event(q, "b", "k1"),  // a's dedup key
          BatchFixture::event(q, "a", "k2"),                                     // a's event id
          BatchFixture::event(q, "c", "k3"), BatchFixture::event(q, "d", "")});  // no dedup key
  CHECK(replies ==
        std::vector<std::string>{"accepted", "duplicate", "duplicate", "accepted", "accepted"});
  CHECK(f.redis({"XLEN", q.keys.stream}) == "3");
  CHECK(f.redis({"GET", q.keys.dedup("k1")}) == "a");
  CHECK(f.redis({"EXISTS", q.keys.dedup("k2")}) == "0");  // a duplicate consumed no key
  CHECK(f.redis({"EXISTS", q.keys.index("b")}) == "0");
  CHECK(f.redis({"GET", q.keys.delivery("d-c")}) == "c");
  CHECK(f.redis({"EXISTS", q.keys.delivery("d-b")}) == "0");
}

TEST_CASE("redis publish batch: a batch crossing queue_max accepts up to it, refuses the rest") {
  BatchFixture f;
  auto q = f.queue("5");
  REQUIRE(f.one_by_one(q, {BatchFixture::event(q, "x1", "kx1"), BatchFixture::event(q, "x2", ""),
                           BatchFixture::event(q, "x3", "kx3")}) ==
          std::vector<std::string>(3, "accepted"));
  const auto replies = f.batch(
      q, {BatchFixture::event(q, "n1", "k1"), BatchFixture::event(q, "n2", "k2"),
          BatchFixture::event(q, "n3", "k3"), BatchFixture::event(q, "x1", "k4"),  // already queued
          BatchFixture::event(q, "n4", "k4")});
  REQUIRE(replies.size() == 5);
  CHECK(replies[0] == "accepted");
  CHECK(replies[1] == "accepted");
  CHECK(replies[2].starts_with("error: QUEUEFULL 5 "));
  CHECK(replies[3] == "duplicate");  // as publish(): the event id is checked first
  CHECK(replies[4].starts_with("error: QUEUEFULL 5 "));
  CHECK(f.redis({"XLEN", q.keys.stream}) == "5");
  // Refused events consumed no dedup key, no index, no delivery key.
  for (const std::string& key : {q.keys.dedup("k3"), q.keys.dedup("k4"), q.keys.index("n3"),
                                 q.keys.index("n4"), q.keys.delivery("d-n3")}) {
    CHECK_MESSAGE(f.redis({"EXISTS", key}) == "0", key);
  }
}

TEST_CASE("redis publish batch: one event's error does not fail its neighbours") {
  BatchFixture f;
  auto q = f.queue("100");
  // Event "broken"'s index key holds a hash: its GET fails with WRONGTYPE.
  f.redis({"HSET", q.keys.index("broken"), "f", "v"});
  const auto replies =
      f.batch(q, {BatchFixture::event(q, "before", "k1"), BatchFixture::event(q, "broken", "k2"),
                  BatchFixture::event(q, "after", "k3")});
  REQUIRE(replies.size() == 3);
  CHECK(replies[0] == "accepted");
  CHECK(replies[1].starts_with("error: WRONGTYPE"));
  CHECK(replies[2] == "accepted");
  CHECK(f.redis({"XLEN", q.keys.stream}) == "2");
  CHECK(f.redis({"EXISTS", q.keys.dedup("k2")}) == "0");
}

TEST_CASE("redis publish batch: the same events give the same replies as one call each") {
  // Duplicates, replays (a newer generation of a queued event) and queue_max, mixed.
  BatchFixture f;
  auto single = f.queue("6");
  auto batched = f.queue("6");
  struct Step {
    const char* id;
    const char* dedup_key;
    int generation;
  };
  const std::vector<Step> steps{{"e0", "k0", 0}, {"e1", "k1", 0}, {"e2", "k0", 0}, {"e1", "k9", 0},
                                {"e0", "k5", 1}, {"e3", "k3", 0}, {"e4", "k4", 0}, {"e5", "k5", 0},
                                {"e6", "k6", 0}, {"e7", "k7", 0}, {"e1", "k1", 1}, {"e6", "k6", 0},
                                {"e0", "k0", 0}};
  auto events_of = [&](const BatchFixture::Queue& q) {
    std::vector<PublishEvent> events;
    for (const Step& step : steps) {
      events.push_back(BatchFixture::event(q, step.id, step.dedup_key, step.generation));
    }
    return events;
  };
  auto expected = f.one_by_one(single, events_of(single));
  auto got = f.batch(batched, events_of(batched));
  for (auto* replies : {&expected, &got}) {
    for (auto& reply : *replies) {  // the QUEUEFULL message's wording is not compared
      if (reply.starts_with("error: QUEUEFULL")) reply = "error: QUEUEFULL";
    }
  }
  CHECK(got == expected);
  CHECK(f.redis({"XLEN", batched.keys.stream}) == f.redis({"XLEN", single.keys.stream}));
  for (int i = 0; i < 8; ++i) {
    const std::string id = "e" + std::to_string(i);
    const std::string a = f.redis({"GET", single.keys.index(id)});
    const std::string b = f.redis({"GET", batched.keys.index(id)});
    CHECK_MESSAGE(a.substr(0, a.rfind('|')) == b.substr(0, b.rfind('|')), id);
  }
  // What one call each answers (so the comparison above compares something).
  CHECK(expected == std::vector<std::string>{"accepted", "accepted", "duplicate", "duplicate",
                                             "accepted", "accepted", "accepted", "accepted",
                                             "accepted", "error: QUEUEFULL", "error: QUEUEFULL",
                                             "duplicate", "duplicate"});
}

}  // namespace
}  // namespace aof::queue::conformance
