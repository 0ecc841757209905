// Redis only: reaching the server — unreachable, credentials, TLS — and the durability check
// the sidecar runs at start-up (DESIGN §5 "accepted means durable").
#include <doctest/doctest.h>

#include "tests/unit/queue/redis_fixture.h"

namespace aof::queue::conformance {
namespace {

using aof::testing::RedisServer;
using aof::testing::RedisServerOptions;
using Q = Fixture<RedisBackend>;  // for its static envelope helper only

// Publishes, fetches and acks one event, and writes and reads one state key.
void round_trip(Broker& broker) {
  auto receipt = broker.queue->publish(Q::envelope("rt-1", "rt-key")).get();
  REQUIRE_MESSAGE(receipt.ok(), receipt.error().message());
  CHECK(receipt->status == PublishStatus::kAccepted);
  auto fetched = broker.queue->fetch("w", 1, Millis(5000));
  REQUIRE_MESSAGE(fetched.ok(), fetched.error().message());
  REQUIRE(fetched->size() == 1);
  CHECK(fetched->front().envelope.id == "rt-1");
  const Status acked = broker.queue->ack(fetched->front(), {{"ok", true}});
  CHECK_MESSAGE(acked.ok(), acked.error().message());
  REQUIRE(broker.state->put("k", "v", Millis(0)).ok());
  CHECK(broker.state->get("k")->value_or("") == "v");
}

TEST_CASE("redis: an unreachable server is kUnavailable naming host:port") {
  const int port = aof::testing::free_loopback_port();  // nothing listens there
  const auto config = redis_config("redis://127.0.0.1:" + std::to_string(port));
  auto broker = open_redis(config);
  REQUIRE_FALSE(broker.ok());
  CHECK(broker.error().code() == ErrorCode::kUnavailable);
  const std::string& message = broker.error().message();
  INFO(message);
  CHECK(message.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
  // It says what to check: the setting that points at the server.
  CHECK(message.find("queue.url") != std::string::npos);
}

TEST_CASE("redis: a wrong or missing password is kUnauthenticated") {
  RedisServer server(RedisServerOptions{.password = "s3cret"});
  const std::string host_port = "127.0.0.1:" + std::to_string(server.port());
  for (const std::string& url : {"redis://:wrong@" + host_port, "redis://" + host_port,
                                "redis://default:wrong@" + host_port}) {
    INFO(url);
    auto broker = open_redis(redis_config(url));
    REQUIRE_FALSE(broker.ok());
    CHECK(broker.error().code() == ErrorCode::kUnauthenticated);
    CHECK(broker.error().message().find("wrong") == std::string::npos);  // no secret in it
  }
  auto config = redis_config(server.url());
  Broker with_password = open_redis_or_fail(config);
  round_trip(with_password);
  config.url = "redis://default:s3cret@" + host_port;  // user:password (ACL) form
  Broker with_user = open_redis_or_fail(config);
  CHECK(with_user.state->get("k")->value_or("") == "v");
}

TEST_CASE("redis: rediss:// with the test CA works end to end") {
  RedisServer server(RedisServerOptions{.tls = true});
  Broker broker = open_redis_or_fail(redis_config(server.url()));
  round_trip(broker);
  CHECK(server.command({"EXISTS", "nothing"}) == "0");  // the harness speaks TLS too
}

TEST_CASE("redis: a server certificate from another CA is refused") {
  RedisServer server(RedisServerOptions{.tls = true});
  RedisServer other(RedisServerOptions{.tls = true});
  const std::string url =
      "rediss://127.0.0.1:" + std::to_string(server.port()) + "?ca_file=" + other.dir() + "/ca.crt";
  auto broker = open_redis(redis_config(url));
  REQUIRE_FALSE(broker.ok());  // redis-cli --tls --cacert <other CA> refuses it too
  CHECK(broker.error().code() != ErrorCode::kInternal);
  CHECK(broker.error().message().find("certificate") != std::string::npos);
}

TEST_CASE("redis: durability_warnings speak up without appendonly only") {
  RedisServer volatile_server(RedisServerOptions{.appendonly = false});
  Broker without = open_redis_or_fail(redis_config(volatile_server.url()));
  const auto warnings = without.queue->durability_warnings();
  REQUIRE_FALSE(warnings.empty());
  CHECK(warnings.front().find("appendonly") != std::string::npos);

  RedisServer durable_server;
  Broker with = open_redis_or_fail(redis_config(durable_server.url()));
  CHECK(with.queue->durability_warnings().empty());
}

}  // namespace
}  // namespace aof::queue::conformance
