// Redis only: a broker crash (kill -9) and restart with events waiting. Nothing accepted is
// lost (appendonly), and the queue object reconnects by itself (DESIGN §5, §10).
#include <doctest/doctest.h>

#include <future>
#include <set>

#include "tests/unit/queue/redis_fixture.h"

namespace aof::queue::conformance {
namespace {

using aof::testing::RedisServer;
using Q = Fixture<RedisBackend>;  // for its static envelope/ids helpers only

// Fetches until `want` distinct events arrived or kEventually passed. Right after a restart
// a call may fail with kUnavailable (the connection is re-established lazily); any other
// error fails the case.
std::set<std::string> fetch_all_after_restart(Queue& queue, std::size_t want,
                                              std::vector<Delivery>& held) {
  std::set<std::string> seen;
  const auto give_up = SteadyClock::now() + kEventually;
  while (seen.size() < want && SteadyClock::now() < give_up) {
    auto fetched = queue.fetch("w-after", 10, Millis(200));
    if (!fetched.ok()) {
      REQUIRE_MESSAGE(fetched.error().code() == ErrorCode::kUnavailable, fetched.error().message());
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

TEST_CASE("redis: events waiting survive kill -9 and the queue reconnects by itself") {
  RedisServer server;  // appendonly yes, appendfsync everysec
  const auto config = redis_config(server.url());
  Broker broker = open_redis_or_fail(config);
  std::set<std::string> published;
  for (int i = 0; i < 20; ++i) {
    const std::string id = "evt-" + std::to_string(i);
    auto receipt = broker.queue->publish(Q::envelope(id, "key-" + id)).get();
    REQUIRE_MESSAGE(receipt.ok(), receipt.error().message());
    REQUIRE(receipt->status == PublishStatus::kAccepted);
    published.insert(id);
  }
  // With appendfsync everysec Redis normally write()s the AOF before it replies, so a process
  // crash loses nothing; but while a background fsync is slow it may postpone that write by
  // up to 2 s and still reply. Waiting past that makes this case test our reload and
  // reconnect, not Redis's fsync policy (which docs/ explains per setting).
  std::this_thread::sleep_for(Millis(2500));
  server.kill9();

  // While the server is down every call answers kUnavailable; none hangs or pretends.
  auto during = broker.queue->publish(Q::envelope("during-outage"));
  REQUIRE(during.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  const auto refused = during.get();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kUnavailable);
  CHECK(error_code(broker.queue->fetch("w", 1, Millis(0))) == ErrorCode::kUnavailable);

  server.restart();
  std::vector<Delivery> held;
  const auto seen = fetch_all_after_restart(*broker.queue, published.size(), held);
  CHECK(seen == published);  // the refused publish is not among them either
  for (const auto& d : held) {
    const Status acked = broker.queue->ack(d, {});
    CHECK_MESSAGE(acked.ok(), acked.error().message());
  }
  // The dedup keys survived with the events: a provider redelivery is still a duplicate.
  auto again = broker.queue->publish(Q::envelope("evt-new", "key-evt-0")).get();
  REQUIRE_MESSAGE(again.ok(), again.error().message());
  CHECK(again->status == PublishStatus::kDuplicate);
  auto stats = broker.queue->stats();
  REQUIRE_MESSAGE(stats.ok(), stats.error().message());
  CHECK(stats->results == static_cast<std::int64_t>(published.size()));
  CHECK(stats->depth == 0);
}

TEST_CASE("redis: a lease held across a restart can still be acked") {
  RedisServer server;
  Broker broker = open_redis_or_fail(redis_config(server.url()));
  REQUIRE(broker.queue->publish(Q::envelope("a")).get().ok());
  auto fetched = broker.queue->fetch("w1", 1, Millis(5000));
  REQUIRE(fetched.ok());
  REQUIRE(fetched->size() == 1);
  std::this_thread::sleep_for(Millis(2500));  // see above: past a postponed AOF write
  server.restart();

  Status acked = broker.queue->ack(fetched->front(), {{"ok", true}});
  const auto give_up = SteadyClock::now() + kEventually;
  while (!acked.ok() && acked.error().code() == ErrorCode::kUnavailable &&
         SteadyClock::now() < give_up) {
    std::this_thread::sleep_for(Millis(100));
    acked = broker.queue->ack(fetched->front(), {{"ok", true}});
  }
  REQUIRE_MESSAGE(acked.ok(), acked.error().message());
  auto record = broker.queue->find_event("a");
  REQUIRE(record.ok());
  CHECK(record->state == EventState::kDone);
}

}  // namespace
}  // namespace aof::queue::conformance
