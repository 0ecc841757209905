// Redis only: a full server (maxmemory + noeviction). A full broker gets a defined answer,
// never a silent drop (DESIGN §5): publish says kResourceExhausted, everything accepted
// before stays fetchable, and a refused publish left no dedup key or event behind.
#include <doctest/doctest.h>

#include <set>

#include "tests/unit/queue/redis_fixture.h"

namespace aof::queue::conformance {
namespace {

using aof::testing::RedisServer;
using aof::testing::RedisServerOptions;
using Q = Fixture<RedisBackend>;  // for its static envelope helper only

TEST_CASE("redis: a full server refuses publishes with kResourceExhausted and loses nothing") {
  // An empty redis-server uses about 0.9 MiB; 4 MiB fills after ~100 events of 32 KiB.
  RedisServer server(RedisServerOptions{.maxmemory_bytes = 4 << 20});
  Broker broker = open_redis_or_fail(redis_config(server.url()));
  std::set<std::string> accepted;
  std::optional<event::Envelope> refused;
  for (int i = 0; i < 2000 && !refused; ++i) {  // bounded: 64 MiB at most
    auto e = Q::envelope("m-" + std::to_string(i), "key-" + std::to_string(i));
    e.body.assign(32 << 10, 'x');
    auto receipt = broker.queue->publish(e).get();
    if (receipt.ok()) {
      REQUIRE(receipt->status == PublishStatus::kAccepted);
      accepted.insert(e.id);
      continue;
    }
    CHECK_MESSAGE(receipt.error().code() == ErrorCode::kResourceExhausted,
                  receipt.error().message());
    refused = e;
  }
  REQUIRE_MESSAGE(refused.has_value(), "4 MiB never filled");
  CHECK_FALSE(accepted.empty());
  // While full, consuming still gets a defined answer: events or kResourceExhausted.
  auto full_fetch = broker.queue->fetch("w", 1, Millis(0));
  if (!full_fetch.ok()) {
    CHECK_MESSAGE(full_fetch.error().code() == ErrorCode::kResourceExhausted,
                  full_fetch.error().message());
  } else {
    for (const auto& d : *full_fetch) REQUIRE(broker.queue->release(d).ok());
  }

  server.command({"CONFIG", "SET", "maxmemory", "0"});
  // The refused publish wrote neither its event nor its dedup key: it is accepted now.
  auto retried = broker.queue->publish(*refused).get();
  REQUIRE_MESSAGE(retried.ok(), retried.error().message());
  CHECK(retried->status == PublishStatus::kAccepted);
  accepted.insert(refused->id);

  std::set<std::string> fetched;
  const auto give_up = SteadyClock::now() + kEventually;
  while (fetched.size() < accepted.size() && SteadyClock::now() < give_up) {
    auto batch = broker.queue->fetch("w", 50, Millis(200));
    REQUIRE_MESSAGE(batch.ok(), batch.error().message());
    for (const auto& d : *batch) {
      fetched.insert(d.envelope.id);
      CHECK(broker.queue->ack(d, {}).ok());
    }
  }
  CHECK(fetched == accepted);
}

}  // namespace
}  // namespace aof::queue::conformance
