#include "common/queue/factory.h"

#include <doctest/doctest.h>

#include "tests/support/redis_server.h"

namespace aof::queue {
namespace {

TEST_CASE("queue.type memory opens an embedded broker") {
  FakeClock clock;
  config::QueueConfig config;
  auto broker = open_broker(config, clock);
  REQUIRE(broker.ok());
  REQUIRE(broker->queue);
  REQUIRE(broker->state);
  CHECK(std::string(broker->queue->backend()) == "memory");
  REQUIRE(broker->state->put("k", "v", Millis(0)).ok());
  CHECK(broker->state->get("k")->value_or("") == "v");
}

TEST_CASE("queue.type redis opens a broker on the server of queue.url") {
  aof::testing::RedisServer server;
  config::QueueConfig config;
  config.type = config::QueueType::kRedis;
  config.url = server.url();
  config.stream = "factory-test";
  auto broker = open_broker(config, SystemClock::instance());
  if (!broker.ok()) FAIL("open_broker: " << broker.error().message());
  REQUIRE(broker->queue);
  REQUIRE(broker->state);
  CHECK(std::string(broker->queue->backend()) == "redis");
  REQUIRE(broker->state->put("k", "v", Millis(0)).ok());
  CHECK(broker->state->get("k")->value_or("") == "v");
}

TEST_CASE("queue.type redis refuses a url that is not a redis url") {
  config::QueueConfig config;
  config.type = config::QueueType::kRedis;
  config.url = "http://127.0.0.1:6379";
  auto broker = open_broker(config, SystemClock::instance());
  REQUIRE_FALSE(broker.ok());
  CHECK(broker.error().code() == ErrorCode::kInvalidArgument);
}

TEST_CASE("brokers this build does not have name the issue that adds them") {
  FakeClock clock;
  config::QueueConfig config;
  config.type = config::QueueType::kNats;
  auto nats = open_broker(config, clock);
  REQUIRE_FALSE(nats.ok());
  CHECK(nats.error().code() == ErrorCode::kInvalidArgument);
  CHECK(nats.error().message() ==
        "queue.type nats is not available in this build yet (issue 4 adds NATS JetStream); "
        "use queue.type: memory or redis");
}

}  // namespace
}  // namespace aof::queue
