#include "common/queue/factory.h"

#include <doctest/doctest.h>

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

TEST_CASE("brokers this build does not have name the issue that adds them") {
  FakeClock clock;
  config::QueueConfig config;
  config.type = config::QueueType::kRedis;
  auto redis = open_broker(config, clock);
  REQUIRE_FALSE(redis.ok());
  CHECK(redis.error().code() == ErrorCode::kInvalidArgument);
  CHECK(redis.error().message() ==
        "queue.type redis is not available in this build yet (issue 3 adds Redis Streams); "
        "use queue.type: memory");
  config.type = config::QueueType::kNats;
  auto nats = open_broker(config, clock);
  REQUIRE_FALSE(nats.ok());
  CHECK(nats.error().message() ==
        "queue.type nats is not available in this build yet (issue 4 adds NATS JetStream); "
        "use queue.type: memory");
}

}  // namespace
}  // namespace aof::queue
