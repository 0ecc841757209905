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

TEST_CASE("queue.type nats refuses a url that is not a nats url") {
  config::QueueConfig config;
  config.type = config::QueueType::kNats;
  config.url = "redis://127.0.0.1:4222";
  auto broker = open_broker(config, SystemClock::instance());
  REQUIRE_FALSE(broker.ok());
  CHECK(broker.error().code() == ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace aof::queue
