// The consume loop over the memory queue: acks, failures into retries and dead letters,
// concurrency by rendezvous, and drain releasing what has not finished.
#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "common/base/ids.h"
#include "common/queue/memory.h"
#include "common/queue/pause.h"
#include "common/runtime/worker.h"

namespace aof::runtime {
namespace {

event::Envelope make_event(const std::string& name) {
  event::Envelope e;
  e.id = new_ulid(SystemClock::instance().now());
  e.platform = "github";
  e.target = {event::TargetKind::kAgentFlow, name};
  return e;
}

config::QueueConfig queue_config() {
  config::QueueConfig config;
  config.max_retries = 2;
  config.retry_delay_ms = 1;
  config.retry_max_delay_ms = 1;
  return config;
}

WorkerOptions options(int concurrency) {
  WorkerOptions o;
  o.consumer = "test-worker";
  o.concurrency = concurrency;
  o.prefetch = 2;
  o.poll_wait = Millis(20);
  o.drain_grace = Millis(5000);
  return o;
}

// Waits (real time, generously) until `predicate` holds; returns whether it did.
template <typename Predicate>
bool eventually(Predicate predicate) {
  for (int i = 0; i < 2000; ++i) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

// A latch both jobs wait on: it opens only when `count` jobs are inside at the same time.
class Rendezvous {
 public:
  explicit Rendezvous(int count) : remaining_(count) {}
  bool arrive_and_wait() {
    std::unique_lock lock(mu_);
    if (--remaining_ == 0) cv_.notify_all();
    return cv_.wait_for(lock, std::chrono::seconds(20), [&] { return remaining_ <= 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int remaining_;
};

}  // namespace

TEST_CASE("succeeded jobs are acked with their result") {
  auto queue = queue::make_memory_queue(queue_config(), SystemClock::instance());
  Worker worker(
      queue,
      [](const event::Envelope& e, const JobContext&, bool*) -> Result<nlohmann::json> {
        return nlohmann::json{{"ran", e.target.name}};
      },
      options(2));
  worker.start();
  const auto event = make_event("ok");
  REQUIRE(queue->publish(event).get().ok());
  REQUIRE(eventually([&] { return worker.counters().succeeded.load() == 1; }));
  CHECK(eventually([&] {
    auto record = queue->find_event(event.id);
    return record.ok() && record->state == queue::EventState::kDone;
  }));
  CHECK(nlohmann::json::parse(queue->find_event(event.id)->result_json)["ran"] == "ok");
  CHECK(worker.drain() == 0);
}

TEST_CASE("slots run concurrently: two jobs meet inside") {
  auto queue = queue::make_memory_queue(queue_config(), SystemClock::instance());
  Rendezvous both(2);
  std::atomic<int> met{0};
  Worker worker(
      queue,
      [&](const event::Envelope&, const JobContext&, bool*) -> Result<nlohmann::json> {
        if (both.arrive_and_wait()) ++met;
        return nlohmann::json::object();
      },
      options(2));
  worker.start();
  REQUIRE(queue->publish(make_event("a")).get().ok());
  REQUIRE(queue->publish(make_event("b")).get().ok());
  REQUIRE(eventually([&] { return worker.counters().succeeded.load() == 2; }));
  CHECK(met.load() == 2);
  worker.drain();
}

TEST_CASE("retryable failures are retried, then dead-lettered with the history") {
  auto queue = queue::make_memory_queue(queue_config(), SystemClock::instance());
  std::atomic<int> calls{0};
  Worker worker(
      queue,
      [&](const event::Envelope&, const JobContext&, bool*) -> Result<nlohmann::json> {
        ++calls;
        return Error(ErrorCode::kUnavailable, "api down");
      },
      options(1));
  worker.start();
  const auto event = make_event("flaky");
  REQUIRE(queue->publish(event).get().ok());
  REQUIRE(eventually([&] {
    auto record = queue->find_event(event.id);
    return record.ok() && record->state == queue::EventState::kDead;
  }));
  worker.drain();
  CHECK(calls.load() == 3);  // 1 + max_retries
  const auto record = queue->find_event(event.id);
  REQUIRE(record->envelope.history.size() == 3);
  CHECK(record->envelope.history[0].message == "api down");
  CHECK(record->envelope.history[0].worker == "test-worker");
}

TEST_CASE("permanent failures skip the retries") {
  auto queue = queue::make_memory_queue(queue_config(), SystemClock::instance());
  std::atomic<int> calls{0};
  Worker worker(
      queue,
      [&](const event::Envelope&, const JobContext&, bool* permanent) -> Result<nlohmann::json> {
        ++calls;
        *permanent = true;
        return Error(ErrorCode::kInvalidArgument, "cannot run this");
      },
      options(1));
  worker.start();
  const auto event = make_event("bad");
  REQUIRE(queue->publish(event).get().ok());
  REQUIRE(eventually([&] {
    auto record = queue->find_event(event.id);
    return record.ok() && record->state == queue::EventState::kDead;
  }));
  worker.drain();
  CHECK(calls.load() == 1);
}

TEST_CASE("drain releases unstarted events and cancels running ones after the grace") {
  auto queue = queue::make_memory_queue(queue_config(), SystemClock::instance());
  std::atomic<int> started{0};
  auto opts = options(1);
  opts.drain_grace = Millis(50);
  Worker worker(
      queue,
      [&](const event::Envelope&, const JobContext& context, bool*) -> Result<nlohmann::json> {
        ++started;
        while (!context.cancelled->load()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return Error(ErrorCode::kTimeout, "cancelled");
      },
      opts);
  worker.start();
  for (int i = 0; i < 3; ++i) REQUIRE(queue->publish(make_event("slow")).get().ok());
  REQUIRE(eventually([&] { return started.load() == 1; }));
  // One running (cancelled after the grace) + two prefetched, all given back.
  REQUIRE(eventually([&] { return queue->stats()->pending == 3; }));
  CHECK(worker.drain() == 3);
  const auto stats = queue->stats();
  CHECK(stats->depth == 3);
  CHECK(stats->pending == 0);
  CHECK(stats->dlq == 0);
  // Released events did not count an attempt: a new worker sees them as first attempts.
  auto fetched = queue->fetch("next", 3, Millis(0));
  REQUIRE(fetched->size() == 3);
  for (const auto& d : *fetched) CHECK(d.envelope.attempt == 1);
}

TEST_CASE("a worker started during a pause takes nothing until resume") {
  auto queue = queue::make_memory_queue(queue_config(), SystemClock::instance());
  auto state = queue::make_memory_state(SystemClock::instance());
  REQUIRE(queue::set_pause(*state, std::nullopt, "ops@test", SystemClock::instance().now()).ok());
  auto opts = options(1);
  opts.pause_state = state;
  opts.pause_check = Millis(10);
  std::atomic<int> ran{0};
  Worker worker(
      queue,
      [&](const event::Envelope&, const JobContext&, bool*) -> Result<nlohmann::json> {
        ++ran;
        return nlohmann::json::object();
      },
      opts);
  REQUIRE(queue->publish(make_event("held")).get().ok());
  worker.start();
  // The worker has read the pause (the gauge says so) before any fetch: nothing is leased.
  REQUIRE(eventually([&] { return worker.counters().paused.load(); }));
  CHECK(queue->stats()->depth == 1);
  CHECK(queue->stats()->pending == 0);
  CHECK(ran.load() == 0);

  REQUIRE(queue::clear_pause(*state, std::nullopt).ok());
  REQUIRE(eventually([&] { return ran.load() == 1; }));
  CHECK_FALSE(worker.counters().paused.load());
  worker.drain();
}

TEST_CASE("a pause lets the running job finish, gives prefetched events back, starts none") {
  auto queue = queue::make_memory_queue(queue_config(), SystemClock::instance());
  auto state = queue::make_memory_state(SystemClock::instance());
  auto opts = options(1);
  opts.pause_state = state;
  opts.pause_check = Millis(10);
  std::mutex mu;
  std::condition_variable cv;
  bool finish = false;
  std::atomic<int> started{0};
  Worker worker(
      queue,
      [&](const event::Envelope&, const JobContext&, bool*) -> Result<nlohmann::json> {
        ++started;
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return finish; });
        return nlohmann::json::object();
      },
      opts);
  worker.start();
  for (int i = 0; i < 3; ++i) REQUIRE(queue->publish(make_event("slow")).get().ok());
  REQUIRE(eventually([&] { return started.load() == 1 && queue->stats()->pending == 3; }));

  REQUIRE(queue::set_pause(*state, std::string("test-worker"), "ops", SystemClock::instance().now())
              .ok());
  // Prefetched deliveries go back; the running one keeps its lease.
  REQUIRE(eventually([&] { return queue->stats()->pending == 1; }));
  CHECK(queue->stats()->depth == 2);
  {
    std::lock_guard lock(mu);
    finish = true;
  }
  cv.notify_all();
  REQUIRE(eventually([&] { return worker.counters().succeeded.load() == 1; }));
  REQUIRE(eventually([&] { return queue->stats()->pending == 0; }));
  CHECK(started.load() == 1);
  CHECK(queue->stats()->depth == 2);

  REQUIRE(queue::clear_pause(*state, std::string("test-worker")).ok());
  REQUIRE(eventually([&] { return worker.counters().succeeded.load() == 3; }));
  worker.drain();
}

}  // namespace aof::runtime
