#pragma once
// Shared set-up of the memory queue tests: a FakeClock (nothing sleeps for a lease or a
// backoff), a jitter that always returns its bound (delays are the exact ceilings), and small
// helpers that REQUIRE success so each test reads as the scenario it checks.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/config/daemon_config.h"
#include "common/queue/memory.h"

namespace aof::queue::testing {

inline config::QueueConfig test_config() {
  config::QueueConfig config;
  config.max_retries = 3;
  config.retry_delay_ms = 1000;
  config.retry_max_delay_ms = 300000;
  config.lease_ms = 30000;
  config.dedup_window_secs = 60;
  return config;
}

inline std::int64_t full_jitter_at_bound(std::int64_t bound) { return bound; }

struct MemoryQueueFixture {
  explicit MemoryQueueFixture(config::QueueConfig c = test_config(),
                              Jitter jitter = full_jitter_at_bound)
      : config(c), queue(make_memory_queue(config, clock, std::move(jitter))) {}

  static event::Envelope envelope(const std::string& id, const std::string& dedup_key = "",
                                  const std::string& delivery_id = "") {
    event::Envelope e;
    e.id = id;
    e.platform = "github";
    e.dedup_key = dedup_key;
    e.delivery_id = delivery_id;
    return e;
  }

  PublishReceipt publish(const event::Envelope& e) {
    auto receipt = queue->publish(e).get();
    REQUIRE(receipt.ok());
    return *receipt;
  }

  void publish_ids(const std::vector<std::string>& ids) {
    for (const auto& id : ids) REQUIRE(publish(envelope(id)).status == PublishStatus::kAccepted);
  }

  std::vector<Delivery> fetch(const std::string& consumer, std::size_t max = 10) {
    auto deliveries = queue->fetch(consumer, max, Millis(0));
    REQUIRE(deliveries.ok());
    return *deliveries;
  }

  Delivery fetch_one(const std::string& consumer) {
    auto deliveries = fetch(consumer, 1);
    REQUIRE(deliveries.size() == 1);
    return deliveries.front();
  }

  FailOutcome fail(const Delivery& d, ErrorCode code = ErrorCode::kUnavailable,
                   bool permanent = false) {
    auto outcome = queue->fail(d, Failure{code, "boom", permanent});
    REQUIRE(outcome.ok());
    return *outcome;
  }

  EventRecord find(const std::string& id) {
    auto record = queue->find_event(id);
    REQUIRE(record.ok());
    return *record;
  }

  QueueStats stats() {
    auto s = queue->stats();
    REQUIRE(s.ok());
    return *s;
  }

  static std::vector<std::string> ids_of(const std::vector<Delivery>& deliveries) {
    std::vector<std::string> ids;
    for (const auto& d : deliveries) ids.push_back(d.envelope.id);
    return ids;
  }

  FakeClock clock;
  config::QueueConfig config;
  std::shared_ptr<Queue> queue;
};

}  // namespace aof::queue::testing
