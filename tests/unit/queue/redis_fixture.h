#pragma once
// Helpers for the Redis-only cases (redis_*_test.cc): what the conformance suite cannot say
// for every backend — crashes and restarts of the server, credentials, TLS, a full server,
// the durability check. Each case starts its own RedisServer with the options it needs.

#include <doctest/doctest.h>

#include <string>

#include "tests/support/redis_server.h"
#include "tests/unit/queue/conformance_fixture.h"

namespace aof::queue::conformance {

// The suite's base durations on the Redis server at `url`, under fresh names.
inline config::QueueConfig redis_config(const std::string& url) {
  config::QueueConfig config = base_config();
  config.type = config::QueueType::kRedis;
  config.url = url;
  config.stream = unique_name("redis");
  config.dead_letter_queue = config.stream + "-dlq";
  return config;
}

inline Result<Broker> open_redis(const config::QueueConfig& config) {
  return open_broker(config, SystemClock::instance(), jitter_at_bound);
}

// Opens the broker or fails the case with the backend's message.
inline Broker open_redis_or_fail(const config::QueueConfig& config) {
  auto broker = open_redis(config);
  if (!broker.ok()) FAIL("open_broker " << config.url << ": " << broker.error().message());
  return *broker;
}

}  // namespace aof::queue::conformance
