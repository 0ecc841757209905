// NATS only: reaching the server — unreachable, credentials, TLS, JetStream missing — the
// start-up that a second process repeats, and the durability check (DESIGN §5).
#include <doctest/doctest.h>

#include "tests/support/test_certificates.h"
#include "tests/unit/queue/nats_fixture.h"

namespace aof::queue::conformance {
namespace {

using aof::testing::NatsServer;
using aof::testing::NatsServerOptions;
using Q = Fixture<NatsBackend>;  // for its static envelope helper only

// Publishes, fetches and acks one event, and writes and reads one state key.
void round_trip(Broker& broker) {
  auto receipt = broker.queue->publish(Q::envelope("rt-1", "rt-key")).get();
  REQUIRE_MESSAGE(receipt.ok(), receipt.error().message());
  CHECK(receipt->status == PublishStatus::kAccepted);
  auto fetched = broker.queue->fetch("w", 1, Millis(5000));
  REQUIRE_MESSAGE(fetched.ok(), fetched.error().message());
  REQUIRE(fetched->size() == 1);
  const Status acked = broker.queue->ack(fetched->front(), {{"ok", true}});
  CHECK_MESSAGE(acked.ok(), acked.error().message());
  REQUIRE(broker.state->put("k", "v", Millis(0)).ok());
  CHECK(broker.state->get("k")->value_or("") == "v");
}

TEST_CASE("nats: an unreachable server is kUnavailable naming host:port") {
  const int port = aof::testing::free_loopback_port();  // nothing listens there
  auto broker = open_nats(nats_config("nats://127.0.0.1:" + std::to_string(port)));
  REQUIRE_FALSE(broker.ok());
  CHECK(broker.error().code() == ErrorCode::kUnavailable);
  const std::string& message = broker.error().message();
  INFO(message);
  CHECK(message.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
  CHECK(message.find("queue.url") != std::string::npos);
}

TEST_CASE("nats: a wrong or missing password is kUnauthenticated") {
  NatsServer server(NatsServerOptions{.user = "aof", .password = "s3cret"});
  const std::string host_port = "127.0.0.1:" + std::to_string(server.port());
  for (const std::string& url : {"nats://aof:wrong@" + host_port, "nats://" + host_port}) {
    INFO(url);
    auto broker = open_nats(nats_config(url));
    REQUIRE_FALSE(broker.ok());
    CHECK(broker.error().code() == ErrorCode::kUnauthenticated);
    CHECK(broker.error().message().find("wrong") == std::string::npos);  // no secret in it
  }
  Broker broker = open_nats_or_fail(nats_config(server.url()));
  round_trip(broker);
}

TEST_CASE("nats: a server without JetStream is kUnavailable and says to enable it") {
  NatsServer server(NatsServerOptions{.jetstream = false});
  auto broker = open_nats(nats_config(server.url()));
  REQUIRE_FALSE(broker.ok());
  CHECK(broker.error().code() == ErrorCode::kUnavailable);
  CHECK_MESSAGE(broker.error().message().find("JetStream") != std::string::npos,
                broker.error().message());
}

TEST_CASE("nats: names NATS cannot use are refused at start-up") {
  NatsServer server;
  auto config = nats_config(server.url());
  config.stream = "aof.events";
  auto broker = open_nats(config);
  REQUIRE_FALSE(broker.ok());
  CHECK(broker.error().code() == ErrorCode::kInvalidArgument);
  CHECK(broker.error().message().find("queue.stream") != std::string::npos);
}

TEST_CASE("nats: a second process opening the same config (or a changed lease) succeeds") {
  NatsServer server;
  auto config = nats_config(server.url());
  Broker first = open_nats_or_fail(config);
  REQUIRE(first.queue->publish(Q::envelope("a")).get().ok());
  config.lease_ms = 1234;       // the consumer is updated, not refused
  config.retention.dlq_max = 7;  // so is the stream
  Broker second = open_nats_or_fail(config);
  auto fetched = second.queue->fetch("w", 1, Millis(5000));
  REQUIRE_MESSAGE(fetched.ok(), fetched.error().message());
  REQUIRE(fetched->size() == 1);
  CHECK(fetched->front().envelope.id == "a");
  CHECK(second.queue->ack(fetched->front(), {}).ok());
  CHECK(first.queue->find_event("a")->state == EventState::kDone);
}

TEST_CASE("nats: tls:// with the test CA works end to end") {
  NatsServer server(NatsServerOptions{.tls = true});
  Broker broker = open_nats_or_fail(nats_config(server.url()));
  round_trip(broker);
}

TEST_CASE("nats: a server certificate from another CA is refused") {
  NatsServer server(NatsServerOptions{.tls = true});
  aof::testing::TempDir other;
  aof::testing::make_test_certificates(other);
  const std::string url = "tls://127.0.0.1:" + std::to_string(server.port()) +
                          "?ca_file=" + other.path().string() + "/ca.crt";
  auto broker = open_nats(nats_config(url));
  REQUIRE_FALSE(broker.ok());
  CHECK(broker.error().code() == ErrorCode::kUnavailable);
  INFO(broker.error().message());
  CHECK(broker.error().message().find("ca_file") != std::string::npos);
}

TEST_CASE("nats: the file store gives no durability warning") {
  NatsServer server;
  Broker broker = open_nats_or_fail(nats_config(server.url()));
  CHECK(broker.queue->durability_warnings().empty());
  CHECK(std::string(broker.queue->backend()) == "nats");
}

}  // namespace
}  // namespace aof::queue::conformance
