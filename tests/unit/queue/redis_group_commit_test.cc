// Group commit (issue 3): concurrent publishes share pipelined round trips, and no caller
// hears back before Redis answered its own call.
#include <doctest/doctest.h>

#include <thread>

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

std::string publish_call(const RedisKeys& keys, const std::string& id) {
  event::Envelope envelope;
  envelope.id = id;
  envelope.platform = "github";
  return redis_scripts::format_call(
      redis_scripts::publish(),
      {keys.stream, keys.index(id), keys.dedup("none"), keys.delivery("none"), keys.delayed,
       keys.delayed_env, keys.dlq, keys.results},
      {event::to_json(envelope), "0", id, "60000", "0", "0", keys.group, "0"});
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
  RedisPublisher publisher{endpoint_of(server.url()), redis_scripts::publish()};

  // Publishes event `id` and waits for its own reply.
  Result<RedisReply> publish_and_wait(const std::string& id) {
    std::promise<Result<RedisReply>> answer;
    publisher.submit(publish_call(keys, id),
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
      publisher.submit(publish_call(keys, "event-" + std::to_string(i)),
                       [&answers, i](Result<RedisReply> reply) {
                         answers[i].set_value(std::move(reply));
                       });
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
