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

TEST_CASE("redis group commit: publishes queued during a round trip share the next one") {
  RedisServer server;
  const config::QueueConfig config = redis_config(server.url());
  const RedisKeys keys(config);
  auto endpoint = parse_redis_url(server.url());
  REQUIRE(endpoint.ok());
  RedisPublisher publisher(*endpoint, redis_scripts::publish());

  // Warm up: the connection and the script load happen on the first call.
  std::promise<Result<RedisReply>> first;
  publisher.submit(publish_call(keys, "warm-up"),
                   [&](Result<RedisReply> reply) { first.set_value(std::move(reply)); });
  REQUIRE(first.get_future().get().ok());
  const auto before = publisher.round_trips();

  std::thread busy([&] { occupy_server(server.url(), 400); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the server is now busy
  constexpr int kCalls = 100;
  std::vector<std::promise<Result<RedisReply>>> answers(kCalls);
  for (int i = 0; i < kCalls; ++i) {
    publisher.submit(publish_call(keys, "event-" + std::to_string(i)),
                     [&answers, i](Result<RedisReply> reply) {
                       answers[i].set_value(std::move(reply));
                     });
  }
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
  RedisServer server;
  const config::QueueConfig config = redis_config(server.url());
  const RedisKeys keys(config);
  auto endpoint = parse_redis_url(server.url());
  REQUIRE(endpoint.ok());
  RedisPublisher publisher(*endpoint, redis_scripts::publish());

  server.kill9();
  std::promise<Result<RedisReply>> refused;
  publisher.submit(publish_call(keys, "while-down"),
                   [&](Result<RedisReply> reply) { refused.set_value(std::move(reply)); });
  auto failed = refused.get_future().get();
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code() == ErrorCode::kUnavailable);
  CHECK(failed.error().message().find("is it running?") != std::string::npos);

  server.restart();  // an empty script cache: the publisher loads it again
  std::promise<Result<RedisReply>> accepted;
  publisher.submit(publish_call(keys, "after-restart"),
                   [&](Result<RedisReply> reply) { accepted.set_value(std::move(reply)); });
  auto reply = accepted.get_future().get();
  REQUIRE(reply.ok());
  CHECK(reply->str == "accepted");
}

}  // namespace
}  // namespace aof::queue::conformance
