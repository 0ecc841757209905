// Group commit (issue 3): concurrent publishes share round trips (one batch script call
// carrying many events), and no caller hears back before Redis answered its own event.
#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "common/queue/redis/redis_keys.h"
#include "common/queue/redis/redis_publisher.h"
#include "common/queue/redis/redis_scripts.h"
#include "tests/unit/queue/redis_fixture.h"

namespace aof::queue::conformance {
namespace {

using testing::RedisServer;

// Keeps the single-threaded server busy for `ms` in a script, so everything sent meanwhile
// waits in its socket buffers.
void occupy_server(const std::string& url, int ms) {
  auto endpoint = parse_redis_url(url);
  REQUIRE(endpoint.ok());
  auto connection = RedisConnection::open(*endpoint);
  REQUIRE(connection.ok());
  const std::string busy =
      "local t = redis.call('TIME') local start = t[1] * 1000000 + t[2] "
      "repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - start > " +
      std::to_string(ms * 1000) + " return 1";
  REQUIRE((*connection)->command({"EVAL", busy, "0"}).ok());
}

redis_scripts::PublishTarget target_of(const RedisKeys& keys, const std::string& queue_max = "0") {
  return {keys.stream,  keys.delayed, keys.delayed_env, keys.dlq,
          keys.results, keys.group,   "60000",          queue_max};
}

// Event `id`; with a non-empty `dedup_key`, deduplicated on it.
redis_scripts::PublishEvent publish_event(const RedisKeys& keys, const std::string& id,
                                          const std::string& dedup_key = "") {
  event::Envelope envelope;
  envelope.id = id;
  envelope.platform = "github";
  redis_scripts::PublishEvent event;
  event.index = keys.index(id);
  event.dedup = keys.dedup(dedup_key.empty() ? "none" : dedup_key);
  event.delivery = keys.delivery("none");
  event.envelope = event::to_json(envelope);
  event.generation = "0";
  event.id = id;
  event.use_dedup = !dedup_key.empty();
  return event;
}

RedisEndpoint endpoint_of(const std::string& url) {
  auto endpoint = parse_redis_url(url);
  REQUIRE(endpoint.ok());
  return *endpoint;
}

// A server of its own and a publisher on it.
struct PublisherFixture {
  RedisServer server;
  const RedisKeys keys{redis_config(server.url())};
  RedisPublisher publisher{endpoint_of(server.url()), target_of(keys)};

  // Publishes event `id` and waits for its own reply.
  Result<RedisReply> publish_and_wait(const std::string& id) {
    std::promise<Result<RedisReply>> answer;
    publisher.submit(publish_event(keys, id), RedisPublisher::Lead::kMayLead,
                     [&](Result<RedisReply> reply) { answer.set_value(std::move(reply)); });
    return answer.get_future().get();
  }
};

TEST_CASE("redis group commit: publishes queued during a round trip share the next one") {
  PublisherFixture f;
  RedisServer& server = f.server;
  const RedisKeys& keys = f.keys;
  RedisPublisher& publisher = f.publisher;

  // Warm up: the connection and the script load happen on the first call.
  REQUIRE(f.publish_and_wait("warm-up").ok());
  const auto before = publisher.round_trips();

  std::thread busy([&] { occupy_server(server.url(), 400); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the server is now busy
  // 100 concurrent callers, as HTTP threads are: the first one's round trip waits on the
  // busy server, the other 99 queue behind it.
  constexpr int kCalls = 100;
  std::vector<std::promise<Result<RedisReply>>> answers(kCalls);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCalls; ++i) {
    callers.emplace_back([&, i] {
      publisher.submit(
          publish_event(keys, "event-" + std::to_string(i)), RedisPublisher::Lead::kMayLead,
          [&answers, i](Result<RedisReply> reply) { answers[i].set_value(std::move(reply)); });
    });
  }
  for (auto& caller : callers) caller.join();
  for (int i = 0; i < kCalls; ++i) {
    auto reply = answers[i].get_future().get();
    REQUIRE(reply.ok());
    CHECK(reply->str == "accepted");
    // Answered means written: the event is in the stream the moment its caller hears back.
    CHECK(server.command({"EXISTS", keys.index("event-" + std::to_string(i))}) == "1");
  }
  busy.join();
  // One round trip was in flight when the server stalled; the other 99 calls gathered behind
  // it. Without batching this would be 100.
  CHECK(publisher.round_trips() - before <= 3);
  CHECK(server.command({"XLEN", keys.stream}) == std::to_string(kCalls + 1));
}

TEST_CASE("redis group commit: an event loop's calls never wait for Redis on its thread") {
  PublisherFixture f;
  REQUIRE(f.publish_and_wait("warm-up").ok());
  const auto before = f.publisher.round_trips();

  // Redis holds every write (scripts included) for 5 s or until unpaused: a call that led its
  // own round trip would be stuck in submit() until then and would have its reply on return.
  REQUIRE(f.server.command({"CLIENT", "PAUSE", "5000", "WRITE"}) == "OK");
  constexpr int kCalls = 40;
  std::atomic<int> answered{0};
  std::vector<std::promise<std::thread::id>> answered_on(kCalls);
  std::vector<Result<RedisReply>> replies(kCalls, Error(ErrorCode::kInternal, "no reply"));
  for (int i = 0; i < kCalls; ++i) {  // all from this one thread, as an event loop does
    f.publisher.submit(publish_event(f.keys, "loop-" + std::to_string(i)),
                       RedisPublisher::Lead::kNever, [&, i](Result<RedisReply> reply) {
                         replies[i] = std::move(reply);
                         ++answered;
                         answered_on[i].set_value(std::this_thread::get_id());
                       });
  }
  CHECK(answered.load() == 0);  // every submit returned while Redis could not answer
  REQUIRE(f.server.command({"CLIENT", "UNPAUSE"}) == "OK");
  for (int i = 0; i < kCalls; ++i) {
    CHECK(answered_on[i].get_future().get() != std::this_thread::get_id());
    REQUIRE_MESSAGE(replies[i].ok(), replies[i].error().message());
    CHECK(replies[i]->str == "accepted");
    CHECK(f.server.command({"EXISTS", f.keys.index("loop-" + std::to_string(i))}) == "1");
  }
  CHECK(f.publisher.round_trips() - before <= 3);  // they went together
}

TEST_CASE("redis group commit: callers sharing a dedup key in one batch hear one accepted") {
  PublisherFixture f;
  REQUIRE(f.publish_and_wait("warm-up").ok());
  const auto before = f.publisher.round_trips();

  std::thread busy([&] { occupy_server(f.server.url(), 400); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // Callers i and i + 50 deliver the same webhook (same dedup key, different event ids).
  constexpr int kCalls = 100;
  std::vector<std::promise<Result<RedisReply>>> answers(kCalls);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCalls; ++i) {
    callers.emplace_back([&, i] {
      f.publisher.submit(
          publish_event(f.keys, "e-" + std::to_string(i), "delivery-" + std::to_string(i % 50)),
          RedisPublisher::Lead::kMayLead,
          [&answers, i](Result<RedisReply> reply) { answers[i].set_value(std::move(reply)); });
    });
  }
  for (auto& caller : callers) caller.join();
  std::vector<std::string> heard(kCalls);
  for (int i = 0; i < kCalls; ++i) {
    auto reply = answers[i].get_future().get();
    REQUIRE_MESSAGE(reply.ok(), reply.error().message());
    heard[i] = reply->str;
  }
  busy.join();
  REQUIRE(f.publisher.round_trips() - before <= 3);  // so most calls went in one batch
  for (int i = 0; i < 50; ++i) {
    // Exactly one of the pair is accepted, and it is the one whose event is in the stream.
    const bool first = heard[i] == "accepted";
    CHECK(heard[first ? i + 50 : i] == "duplicate");
    CHECK(heard[first ? i : i + 50] == "accepted");
    const std::string winner = "e-" + std::to_string(first ? i : i + 50);
    const std::string loser = "e-" + std::to_string(first ? i + 50 : i);
    CHECK(f.server.command({"EXISTS", f.keys.index(winner)}) == "1");
    CHECK(f.server.command({"EXISTS", f.keys.index(loser)}) == "0");
  }
  CHECK(f.server.command({"XLEN", f.keys.stream}) == std::to_string(50 + 1));
}

TEST_CASE("redis group commit: a batch crossing queue_max fails only the calls over it") {
  RedisServer server;
  const RedisKeys keys{redis_config(server.url())};
  RedisPublisher publisher{endpoint_of(server.url()), target_of(keys, "10")};
  std::promise<Result<RedisReply>> warm;
  publisher.submit(publish_event(keys, "warm-up"), RedisPublisher::Lead::kMayLead,
                   [&](Result<RedisReply> reply) { warm.set_value(std::move(reply)); });
  REQUIRE(warm.get_future().get().ok());
  const auto before = publisher.round_trips();

  std::thread busy([&] { occupy_server(server.url(), 400); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  constexpr int kCalls = 30;
  std::vector<std::promise<Result<RedisReply>>> answers(kCalls);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCalls; ++i) {
    callers.emplace_back([&, i] {
      publisher.submit(publish_event(keys, "q-" + std::to_string(i), "k-" + std::to_string(i)),
                       RedisPublisher::Lead::kMayLead, [&answers, i](Result<RedisReply> reply) {
                         answers[i].set_value(std::move(reply));
                       });
    });
  }
  for (auto& caller : callers) caller.join();
  int accepted = 0;
  for (int i = 0; i < kCalls; ++i) {
    auto reply = answers[i].get_future().get();
    const std::string id = "q-" + std::to_string(i);
    if (reply.ok()) {
      CHECK(reply->str == "accepted");
      CHECK(server.command({"EXISTS", keys.index(id)}) == "1");
      ++accepted;
    } else {
      CHECK_MESSAGE(reply.error().code() == ErrorCode::kResourceExhausted, reply.error().message());
      CHECK(server.command({"EXISTS", keys.index(id)}) == "0");
      CHECK(server.command({"EXISTS", keys.dedup("k-" + std::to_string(i))}) == "0");
    }
  }
  busy.join();
  REQUIRE(publisher.round_trips() - before <= 3);
  CHECK(accepted == 9);  // 10 with the warm-up
  CHECK(server.command({"XLEN", keys.stream}) == "10");
}

TEST_CASE("redis group commit: a dead server fails every waiting call, and it recovers") {
  PublisherFixture f;
  f.server.kill9();
  auto failed = f.publish_and_wait("while-down");
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code() == ErrorCode::kUnavailable);
  CHECK(failed.error().message().find("is it running?") != std::string::npos);

  f.server.restart();  // an empty script cache: the publisher loads it again
  auto reply = f.publish_and_wait("after-restart");
  REQUIRE(reply.ok());
  CHECK(reply->str == "accepted");
}

}  // namespace
}  // namespace aof::queue::conformance
