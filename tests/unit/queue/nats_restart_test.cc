// NATS only: a broker crash (kill -9) and restart with events waiting. Nothing accepted is
// lost (JetStream file store), and the queue object reconnects by itself (DESIGN §5, §10).
#include <doctest/doctest.h>

#include <future>
#include <set>

#include "tests/unit/queue/nats_fixture.h"

namespace aof::queue::conformance {
namespace {

using aof::testing::NatsServer;
using Q = Fixture<NatsBackend>;  // for its static envelope helper only

// Fetches until `want` distinct events arrived or kEventually passed. Until the client has
// reconnected a call may fail with kUnavailable or kTimeout; any other error fails the case.
std::set<std::string> fetch_all_after_restart(Queue& queue, std::size_t want,
                                              std::vector<Delivery>& held) {
  std::set<std::string> seen;
  const auto give_up = SteadyClock::now() + kEventually;
  while (seen.size() < want && SteadyClock::now() < give_up) {
    auto fetched = queue.fetch("w-after", 10, Millis(200));
    if (!fetched.ok()) {
      const ErrorCode code = fetched.error().code();
      REQUIRE_MESSAGE((code == ErrorCode::kUnavailable || code == ErrorCode::kTimeout),
                      fetched.error().message());
      std::this_thread::sleep_for(Millis(100));
      continue;
    }
    for (auto& d : *fetched) {
      CHECK_MESSAGE(seen.insert(d.envelope.id).second, "delivered twice: " << d.envelope.id);
      held.push_back(std::move(d));
    }
  }
  return seen;
}

TEST_CASE("nats: events waiting survive kill -9 and the queue reconnects by itself") {
  NatsServer server;
  // The publish sent as the server dies is written to a socket nobody reads: it fails when
  // its PubAck wait (io_timeout_ms) runs out, so the case keeps that short.
  Broker broker = open_nats_or_fail(nats_config(server.url() + "?io_timeout_ms=1000"));
  std::set<std::string> published;
  for (int i = 0; i < 20; ++i) {
    const std::string id = "evt-" + std::to_string(i);
    auto receipt = broker.queue->publish(Q::envelope(id, "key-" + id)).get();
    REQUIRE_MESSAGE(receipt.ok(), receipt.error().message());
    REQUIRE(receipt->status == PublishStatus::kAccepted);
    published.insert(id);
  }
  // One of them is leased when the broker dies, one is waiting for a retry.
  auto leased = broker.queue->fetch("w-before", 2, Millis(5000));
  REQUIRE(leased.ok());
  REQUIRE(leased->size() == 2);
  REQUIRE(broker.queue->fail((*leased)[1], Failure{ErrorCode::kUnavailable, "503", false}).ok());
  server.kill9();

  // While the server is down calls fail with a defined error; none hangs or pretends.
  auto during = broker.queue->publish(Q::envelope("during-outage"));
  REQUIRE(during.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  const auto refused = during.get();
  REQUIRE_FALSE(refused.ok());
  CHECK((refused.error().code() == ErrorCode::kUnavailable ||
         refused.error().code() == ErrorCode::kTimeout));

  server.restart();
  // The lease held across the restart can still be acked.
  Status acked = broker.queue->ack((*leased)[0], {{"ok", true}});
  const auto give_up = SteadyClock::now() + kEventually;
  while (!acked.ok() && acked.error().code() != ErrorCode::kNotFound &&
         SteadyClock::now() < give_up) {
    std::this_thread::sleep_for(Millis(100));
    acked = broker.queue->ack((*leased)[0], {{"ok", true}});
  }
  REQUIRE_MESSAGE(acked.ok(), acked.error().message());
  // The retry is 60 s away (base_config): everything else is deliverable now.
  std::vector<Delivery> held;
  const auto want = published.size() - 2;
  const auto seen = fetch_all_after_restart(*broker.queue, want, held);
  CHECK(seen.size() == want);
  CHECK(seen.count("during-outage") == 0);
  for (const auto& d : held) {
    const Status settled = broker.queue->ack(d, {});
    CHECK_MESSAGE(settled.ok(), settled.error().message());
  }
  CHECK(broker.queue->find_event((*leased)[1].envelope.id)->state == EventState::kRetrying);
  // The dedup keys survived with the events: a provider redelivery is still a duplicate.
  auto again = broker.queue->publish(Q::envelope("evt-new", "key-evt-0")).get();
  REQUIRE_MESSAGE(again.ok(), again.error().message());
  CHECK(again->status == PublishStatus::kDuplicate);
  auto stats = broker.queue->stats();
  REQUIRE_MESSAGE(stats.ok(), stats.error().message());
  CHECK(stats->results == static_cast<std::int64_t>(want + 1));
  CHECK(stats->depth == 0);
  CHECK(stats->delayed == 1);
}

}  // namespace
}  // namespace aof::queue::conformance
