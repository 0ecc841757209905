#pragma once
// The queue/state conformance suite (DESIGN §5, §10): every case in conformance_*_test.cc runs
// against every backend in AOF_QUEUE_BACKENDS through open_broker(), so the delivery contract
// of queue.h and state.h is proven once for all of them. Adding a backend is one struct below
// (it fills in QueueConfig and owns whatever server it needs) plus its name in the list.
//
// Time: Redis measures leases and retry due times on its own clock, so the suite uses the
// real SystemClock with short real durations. It never asserts that something happened
// within a time. "Not deliverable yet" is asserted only when our stopwatch proves the due
// time cannot have passed yet (NotYet below); "deliverable now" polls with generous deadlines.
//
// Redis: one redis-server per test case. It starts in ~40 ms on this machine (measured), so
// every case gets a clean, isolated server (no cross-talk through keys, memory limits or
// the DLQ name) for about a second per binary run. Stream names are unique per case anyway,
// so a shared server would also work. NATS: one nats-server -js per case likewise (15-30 ms
// to ready, measured).

#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/base/clock.h"
#include "common/config/daemon_config.h"
#include "common/queue/factory.h"
#include "tests/support/nats_server.h"
#include "tests/support/redis_server.h"

namespace aof::queue::conformance {

using Ids = std::vector<std::string>;
using SteadyClock = std::chrono::steady_clock;

// Generous: how long "eventually" may take on a loaded 2-core machine before a case fails.
constexpr Millis kEventually{15000};

struct MemoryBackend {
  // The memory queue trims results and dead letters to exactly results_max / dlq_max.
  static constexpr std::int64_t kRetentionSlack = 0;
  void configure(config::QueueConfig& config) const { config.type = config::QueueType::kMemory; }
};

struct RedisBackend {
  // The backend trims the results and DLQ streams exactly (its Lua scripts XDEL the excess
  // and drop each trimmed event's index key), so the suite holds it to the exact limit. A
  // backend that trims with XADD MAXLEN ~ would need stream-node-max-entries (100) here:
  // approximate trimming drops whole stream nodes only.
  static constexpr std::int64_t kRetentionSlack = 0;
  aof::testing::RedisServer server;
  void configure(config::QueueConfig& config) const {
    config.type = config::QueueType::kRedis;
    config.url = server.url();
  }
};

struct NatsBackend {
  // Results and dead letters are streams with MaxMsgs = results_max / dlq_max: JetStream
  // trims them exactly.
  static constexpr std::int64_t kRetentionSlack = 0;
  aof::testing::NatsServer server;
  void configure(config::QueueConfig& config) const {
    config.type = config::QueueType::kNats;
    config.url = server.url();
  }
};

#define AOF_QUEUE_BACKENDS MemoryBackend, RedisBackend, NatsBackend

// Durations every case starts from; a case changes what it exercises. Leases and retry
// delays are long by default so they never fire in cases that are not about them.
inline config::QueueConfig base_config() {
  config::QueueConfig config;
  config.max_retries = 3;
  config.retry_delay_ms = 60000;
  config.retry_max_delay_ms = 300000;
  config.lease_ms = 60000;
  config.dedup_window_secs = 60;
  return config;
}

// Full jitter drawn at its bound: retry delays are exactly the backoff ceilings.
inline std::int64_t jitter_at_bound(std::int64_t bound) { return bound; }

// A name no other case in this process uses (stream prefix, DLQ name).
inline std::string unique_name(const std::string& what) {
  static std::atomic<int> next{0};
  return "conf-" + std::to_string(::getpid()) + "-" + std::to_string(next++) + "-" + what;
}

// The error code of a failed result, nullopt for a success: checks read as one line.
template <typename R>
std::optional<ErrorCode> error_code(const R& result) {
  if (result.ok()) return std::nullopt;
  return result.error().code();
}

// Measures real time since a moment, to know whether a due time can have passed yet.
class Stopwatch {
 public:
  Millis elapsed() const { return std::chrono::duration_cast<Millis>(SteadyClock::now() - start_); }

 private:
  SteadyClock::time_point start_ = SteadyClock::now();
};

template <typename Backend>
class Fixture {
 public:
  explicit Fixture(config::QueueConfig c = base_config()) : config(std::move(c)) {
    backend.configure(config);
    config.stream = unique_name("events");
    config.dead_letter_queue = config.stream + "-dlq";
    auto opened = open_broker(config, SystemClock::instance(), jitter_at_bound);
    if (!opened.ok()) FAIL("open_broker: " << opened.error().message());
    queue = opened->queue;
    state = opened->state;
    bodies = opened->bodies;
  }

  static event::Envelope envelope(const std::string& id, const std::string& dedup_key = "",
                                  const std::string& delivery_id = "") {
    event::Envelope e;
    e.id = id;
    e.platform = "github";
    e.event = "pull_request";
    e.dedup_key = dedup_key;
    e.delivery_id = delivery_id;
    e.body = R"({"action":"opened"})";
    return e;
  }

  PublishReceipt publish(const event::Envelope& e) {
    auto receipt = queue->publish(e).get();
    if (!receipt.ok()) FAIL("publish " << e.id << ": " << receipt.error().message());
    return *receipt;
  }

  void publish_ids(const Ids& ids) {
    for (const auto& id : ids) REQUIRE(publish(envelope(id)).status == PublishStatus::kAccepted);
  }

  std::vector<Delivery> fetch(const std::string& consumer, std::size_t max = 10,
                              Millis wait = Millis(0)) {
    auto deliveries = queue->fetch(consumer, max, wait);
    if (!deliveries.ok()) FAIL("fetch: " << deliveries.error().message());
    return *deliveries;
  }

  // Exactly `n` events that are deliverable now, over as many fetches as it takes: a fetch
  // returns at most what it asked for, but may return fewer while more are on their way
  // (NATS hands out one message per round trip and waits only briefly for the next).
  std::vector<Delivery> fetch_n(const std::string& consumer, std::size_t n) {
    std::vector<Delivery> all;
    const auto give_up = SteadyClock::now() + kEventually;
    while (all.size() < n && SteadyClock::now() < give_up) {
      const std::size_t asked = n - all.size();
      auto got = fetch(consumer, asked, Millis(1000));
      CHECK(got.size() <= asked);
      for (auto& d : got) all.push_back(std::move(d));
    }
    REQUIRE(all.size() == n);
    return all;
  }

  // One event that is deliverable now (published or released just before).
  Delivery fetch_one(const std::string& consumer) {
    auto deliveries = fetch(consumer, 1, Millis(5000));
    REQUIRE(deliveries.size() == 1);
    return deliveries.front();
  }

  // Waits for an event whose timer (retry due time, lease expiry) runs out, calling
  // maintain() between fetches as workers do. Empty when nothing came within kEventually.
  std::vector<Delivery> fetch_due(const std::string& consumer, std::size_t max = 1) {
    const auto give_up = SteadyClock::now() + kEventually;
    while (SteadyClock::now() < give_up) {
      REQUIRE(queue->maintain().ok());
      auto deliveries = fetch(consumer, max, Millis(100));
      if (!deliveries.empty()) return deliveries;
    }
    return {};
  }

  Delivery fetch_due_one(const std::string& consumer) {
    auto deliveries = fetch_due(consumer, 1);
    REQUIRE(deliveries.size() == 1);
    return deliveries.front();
  }

  // Runs maintain() until `done` holds (true) or kEventually passed (false).
  bool maintain_until(const std::function<bool()>& done) {
    const auto give_up = SteadyClock::now() + kEventually;
    while (SteadyClock::now() < give_up) {
      REQUIRE(queue->maintain().ok());
      if (done()) return true;
      std::this_thread::sleep_for(Millis(50));
    }
    return false;
  }

  // Checks that nothing is deliverable to `consumer` now, if `since` proves that a timer
  // of `due_after` started after it cannot have run out yet; otherwise says the check was
  // skipped (the machine stalled longer than the timer).
  void check_nothing_deliverable(const Stopwatch& since, Millis due_after,
                                 const std::string& consumer) {
    REQUIRE(queue->maintain().ok());
    const auto early = fetch(consumer, 10, Millis(0));
    if (since.elapsed() < due_after) {
      CHECK_MESSAGE(early.empty(), "an event was delivered before its timer ran out");
    } else {
      MESSAGE("not-yet check skipped: the machine stalled past the " << due_after.count()
                                                                     << " ms timer");
    }
  }

  FailOutcome fail(const Delivery& d, ErrorCode code = ErrorCode::kUnavailable,
                   bool permanent = false, const std::string& message = "boom") {
    auto outcome = queue->fail(d, Failure{code, message, permanent});
    if (!outcome.ok()) FAIL("fail: " << outcome.error().message());
    return *outcome;
  }

  void ack(const Delivery& d, const nlohmann::json& result = nlohmann::json::object()) {
    const Status acked = queue->ack(d, result);
    if (!acked.ok()) FAIL("ack " << d.envelope.id << ": " << acked.error().message());
  }

  EventRecord find(const std::string& id) {
    auto record = queue->find_event(id);
    if (!record.ok()) FAIL("find_event " << id << ": " << record.error().message());
    return *record;
  }

  QueueStats stats() {
    auto s = queue->stats();
    if (!s.ok()) FAIL("stats: " << s.error().message());
    return *s;
  }

  std::vector<event::Envelope> dead_letters(std::size_t limit) {
    auto dead = queue->dead_letters(limit);
    if (!dead.ok()) FAIL("dead_letters: " << dead.error().message());
    return *dead;
  }

  static Ids ids_of(const std::vector<Delivery>& deliveries) {
    Ids ids;
    for (const auto& d : deliveries) ids.push_back(d.envelope.id);
    return ids;
  }

  static Ids ids_of(const std::vector<event::Envelope>& envelopes) {
    Ids ids;
    for (const auto& e : envelopes) ids.push_back(e.id);
    return ids;
  }

  static Ids sorted(Ids ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  Backend backend;  // first: its server outlives the broker connected to it
  config::QueueConfig config;
  std::shared_ptr<Queue> queue;
  std::shared_ptr<StateStore> state;
  std::shared_ptr<BodyStore> bodies;  // null on memory: it keeps every body inline
};

}  // namespace aof::queue::conformance

// Test names read "case<memory>", "case<redis>": filter one backend with -tc='*<redis>'.
TYPE_TO_STRING_AS("memory", aof::queue::conformance::MemoryBackend);
TYPE_TO_STRING_AS("redis", aof::queue::conformance::RedisBackend);
TYPE_TO_STRING_AS("nats", aof::queue::conformance::NatsBackend);
