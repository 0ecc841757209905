// Conformance: leases (extend, expiry, reclaim, stale holders) and release on every backend.
#include <doctest/doctest.h>

#include <future>

#include "tests/unit/queue/conformance_fixture.h"

namespace aof::queue::conformance {
namespace {

constexpr Millis kShortLease{300};

config::QueueConfig short_lease_config() {
  auto config = base_config();
  config.lease_ms = kShortLease.count();
  return config;
}

TEST_CASE_TEMPLATE("extending a lease keeps the event held past lease_ms", B, AOF_QUEUE_BACKENDS) {
  auto config = base_config();
  config.lease_ms = 1000;  // long enough that a scheduler hiccup between extends is harmless
  Fixture<B> f(config);
  f.publish_ids({"a"});
  const Delivery d = f.fetch_one("w1");
  const Stopwatch held;
  Millis longest_gap{0};
  while (held.elapsed() < Millis(2500)) {  // 2.5 leases
    const Stopwatch gap;
    std::this_thread::sleep_for(Millis(100));
    REQUIRE(f.queue->maintain().ok());
    CHECK(f.fetch("w2", 1, Millis(0)).empty());
    const Status extended = f.queue->extend(d);
    longest_gap = std::max(longest_gap, gap.elapsed());
    if (longest_gap >= Millis(config.lease_ms)) break;
    REQUIRE_MESSAGE(extended.ok(), extended.error().message());
  }
  if (longest_gap >= Millis(config.lease_ms)) {
    MESSAGE("skipped: the machine stalled " << longest_gap.count() << " ms between extends");
    return;
  }
  f.ack(d);
  const EventRecord record = f.find("a");
  CHECK(record.state == EventState::kDone);
  CHECK(record.envelope.attempt == 1);
  CHECK(record.envelope.history.empty());
}

TEST_CASE_TEMPLATE("an expired lease is reclaimed by another consumer as a failed attempt", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f(short_lease_config());
  f.publish_ids({"a"});
  const Stopwatch since;
  const Delivery first = f.fetch_one("w1");
  f.check_nothing_deliverable(since, kShortLease, "w2");

  const Delivery second = f.fetch_due_one("w2");
  CHECK(second.envelope.id == "a");
  CHECK(second.consumer == "w2");
  CHECK(second.envelope.attempt == 2);
  CHECK(second.handle != first.handle);
  REQUIRE(second.envelope.history.size() == 1);
  const auto& h = second.envelope.history[0];
  CHECK(h.attempt == 1);
  CHECK(h.worker == "w1");
  CHECK(h.error_class == "lease_expired");
  CHECK_FALSE(h.message.empty());
  CHECK_FALSE(h.at.empty());

  // The old holder lost it: every settle of its delivery is refused and changes nothing.
  CHECK(error_code(f.queue->ack(first, {})) == ErrorCode::kNotFound);
  CHECK(error_code(f.queue->extend(first)) == ErrorCode::kNotFound);
  CHECK(error_code(f.queue->release(first)) == ErrorCode::kNotFound);
  CHECK(error_code(f.queue->fail(first, Failure{ErrorCode::kTimeout, "late", false})) ==
        ErrorCode::kNotFound);
  const EventRecord record = f.find("a");
  CHECK(record.state == EventState::kRunning);
  CHECK(record.envelope.attempt == 2);
  CHECK(record.envelope.history.size() == 1);
  f.ack(second);
  CHECK(f.find("a").state == EventState::kDone);
}

TEST_CASE_TEMPLATE("maintain alone moves an expired lease back to waiting", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f(short_lease_config());
  f.publish_ids({"a"});
  const Delivery stale = f.fetch_one("w1");
  CHECK(f.maintain_until([&] { return f.find("a").state == EventState::kWaiting; }));
  const EventRecord record = f.find("a");
  REQUIRE(record.envelope.history.size() == 1);
  CHECK(record.envelope.history[0].error_class == "lease_expired");
  CHECK(record.envelope.history[0].worker == "w1");
  CHECK(error_code(f.queue->ack(stale, {})) == ErrorCode::kNotFound);
  CHECK(f.stats().depth == 1);
  CHECK(f.stats().pending == 0);
  CHECK(f.fetch_one("w2").envelope.attempt == 2);
}

TEST_CASE_TEMPLATE("an expired lease on the last attempt dead-letters the event", B,
                   AOF_QUEUE_BACKENDS) {
  auto config = short_lease_config();
  config.max_retries = 1;
  Fixture<B> f(config);
  f.publish_ids({"a"});
  CHECK(f.fetch_one("w1").envelope.attempt == 1);
  CHECK(f.fetch_due_one("w2").envelope.attempt == 2);
  CHECK(f.maintain_until([&] { return f.find("a").state == EventState::kDead; }));

  const EventRecord record = f.find("a");
  REQUIRE(record.envelope.history.size() == 2);
  CHECK(record.envelope.history[0].worker == "w1");
  CHECK(record.envelope.history[0].attempt == 1);
  CHECK(record.envelope.history[1].worker == "w2");
  CHECK(record.envelope.history[1].attempt == 2);
  CHECK(record.envelope.history[1].error_class == "lease_expired");
  CHECK(f.stats().dlq == 1);
  CHECK(f.stats().pending == 0);
  CHECK(f.ids_of(f.dead_letters(10)) == Ids{"a"});
  CHECK(f.fetch("w3", 1, Millis(200)).empty());
}

TEST_CASE_TEMPLATE("release gives the event back at once without counting an attempt", B,
                   AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  f.publish_ids({"a"});
  const Delivery held = f.fetch_one("w1");
  REQUIRE(f.queue->release(held).ok());
  CHECK(f.find("a").state == EventState::kWaiting);
  const Delivery again = f.fetch_one("w2");
  CHECK(again.envelope.id == "a");
  CHECK(again.envelope.attempt == 1);
  CHECK(again.envelope.history.empty());
  CHECK(error_code(f.queue->ack(held, {})) == ErrorCode::kNotFound);  // released: stale

  // Releasing many times never uses up a retry.
  REQUIRE(f.queue->release(again).ok());
  for (int i = 0; i < 4; ++i) REQUIRE(f.queue->release(f.fetch_one("w")).ok());
  const Delivery d = f.fetch_one("w");
  CHECK(d.envelope.attempt == 1);
  CHECK(f.fail(d).disposition == Disposition::kRetryScheduled);
}

TEST_CASE_TEMPLATE("a blocking fetch wakes up on a release", B, AOF_QUEUE_BACKENDS) {
  Fixture<B> f;
  f.publish_ids({"a"});
  const Delivery held = f.fetch_one("w1");
  auto fetched =
      std::async(std::launch::async, [&] { return f.queue->fetch("w2", 1, Millis(60000)); });
  std::this_thread::sleep_for(Millis(100));
  REQUIRE(f.queue->release(held).ok());
  REQUIRE(fetched.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  const auto deliveries = fetched.get();
  REQUIRE(deliveries.ok());
  REQUIRE(deliveries->size() == 1);
  CHECK((*deliveries)[0].consumer == "w2");
  CHECK((*deliveries)[0].envelope.attempt == 1);
}

}  // namespace
}  // namespace aof::queue::conformance
