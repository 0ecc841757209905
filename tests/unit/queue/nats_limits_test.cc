// NATS only: limits. A full work stream (queue.retention.queue_max) refuses publishes with
// kResourceExhausted — the sidecar answers 503 — never a silent drop, and the refused publish
// wrote no dedup key (DESIGN §5); retries of leased events still work when it is full (the
// stream keeps headroom for transitions, nats_names.h). A body over the server's max_payload is
// stored aside in chunks that fit it (body_aside.h); an envelope too large without its body is
// kInvalidArgument with a message saying what to change.
#include <doctest/doctest.h>

#include "tests/unit/queue/nats_fixture.h"

namespace aof::queue::conformance {
namespace {

using aof::testing::NatsServer;
using aof::testing::NatsServerOptions;
using Q = Fixture<NatsBackend>;  // for its static envelope helper only

TEST_CASE("nats: a full stream refuses publishes with kResourceExhausted and loses nothing") {
  NatsServer server;
  auto config = nats_config(server.url());
  config.retention.queue_max = 3;
  Broker broker = open_nats_or_fail(config);
  for (const std::string id : {"a", "b", "c"}) {
    auto receipt = broker.queue->publish(Q::envelope(id, "key-" + id)).get();
    REQUIRE_MESSAGE(receipt.ok(), receipt.error().message());
  }
  auto refused = broker.queue->publish(Q::envelope("d", "key-d")).get();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kResourceExhausted);
  CHECK(error_code(broker.queue->find_event("d")) == ErrorCode::kNotFound);

  // Leased and retrying events still count against the limit; a finished one frees a place.
  // One at a time: a NATS fetch may hand out fewer than it asked for.
  std::vector<Delivery> fetched;
  for (int i = 0; i < 2; ++i) {
    auto one = broker.queue->fetch("w", 1, Millis(5000));
    REQUIRE(one.ok());
    REQUIRE(one->size() == 1);
    fetched.push_back(one->front());
  }
  REQUIRE(broker.queue->fail(fetched[0], Failure{ErrorCode::kTimeout, "slow", false}).ok());
  CHECK(error_code(broker.queue->publish(Q::envelope("d", "key-d")).get()) ==
        ErrorCode::kResourceExhausted);
  REQUIRE(broker.queue->ack(fetched[1], {}).ok());
  // The refused publish wrote no dedup key: the same delivery is accepted now.
  auto retried = broker.queue->publish(Q::envelope("d", "key-d")).get();
  REQUIRE_MESSAGE(retried.ok(), retried.error().message());
  CHECK(retried->status == PublishStatus::kAccepted);
  const QueueStats stats = *broker.queue->stats();
  CHECK(stats.depth == 2);
  CHECK(stats.delayed == 1);
  CHECK(stats.results == 1);
}

TEST_CASE("nats: a body over a small max_payload goes aside in chunks that fit it") {
  NatsServer server(NatsServerOptions{.max_payload = 64 << 10});
  Broker broker = open_nats_or_fail(nats_config(server.url()));
  REQUIRE(broker.bodies->inline_limit() == (60u << 10));  // max_payload less the KV subject
  auto big = Q::envelope("big", "key-big");
  big.body.assign(100 << 10, 'x');
  auto accepted = broker.queue->publish(big).get();
  REQUIRE_MESSAGE(accepted.ok(), accepted.error().message());
  CHECK(*broker.bodies->stored_chunks() == 2);
  auto fetched = broker.queue->fetch("w", 1, Millis(5000));
  REQUIRE(fetched.ok());
  REQUIRE(fetched->size() == 1);
  CHECK((*fetched)[0].envelope.body == big.body);
}

TEST_CASE("nats: an envelope over max_payload without its body is kInvalidArgument") {
  NatsServer server(NatsServerOptions{.max_payload = 64 << 10});
  Broker broker = open_nats_or_fail(nats_config(server.url()));
  auto big = Q::envelope("big", "key-big");
  big.text.assign(40 << 10, 't');
  big.channel_id.assign(40 << 10, 'c');  // each field within its limit, together too large
  auto refused = broker.queue->publish(big).get();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kInvalidArgument);
  CHECK(refused.error().message().find("max_payload") != std::string::npos);
  CHECK(error_code(broker.queue->find_event("big")) == ErrorCode::kNotFound);
  // No dedup key was written: a smaller delivery with the same key is accepted.
  auto small = Q::envelope("small", "key-big");
  auto accepted = broker.queue->publish(small).get();
  REQUIRE_MESSAGE(accepted.ok(), accepted.error().message());
  CHECK(accepted->status == PublishStatus::kAccepted);
}

}  // namespace
}  // namespace aof::queue::conformance
