#pragma once
// Helpers for the NATS-only cases (nats_*_test.cc): what the conformance suite cannot say for
// every backend — crashes and restarts of the server, credentials, a server without
// JetStream, a full stream, max_payload, the durability check. Each case starts its own
// NatsServer with the options it needs.

#include <doctest/doctest.h>

#include <string>

#include "tests/support/nats_server.h"
#include "tests/unit/queue/conformance_fixture.h"

namespace aof::queue::conformance {

// The suite's base durations on the NATS server at `url`, under fresh names.
inline config::QueueConfig nats_config(const std::string& url) {
  config::QueueConfig config = base_config();
  config.type = config::QueueType::kNats;
  config.url = url;
  config.stream = unique_name("nats");
  config.dead_letter_queue = config.stream + "-dlq";
  return config;
}

inline Result<Broker> open_nats(const config::QueueConfig& config) {
  return open_broker(config, SystemClock::instance(), jitter_at_bound);
}

// Opens the broker or fails the case with the backend's message.
inline Broker open_nats_or_fail(const config::QueueConfig& config) {
  auto broker = open_nats(config);
  if (!broker.ok()) FAIL("open_broker " << config.url << ": " << broker.error().message());
  return *broker;
}

}  // namespace aof::queue::conformance
