// Conformance: many producer and consumer threads on one queue object, on every backend.
// Leases are long (60 s), so none expires: each event must reach exactly one consumer once.
// Nothing here asserts timing; run under TSan (AOF_TSAN) in CI.
#include <doctest/doctest.h>

#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "tests/unit/queue/conformance_fixture.h"

namespace aof::queue::conformance {
namespace {

TEST_CASE_TEMPLATE("8 consumers never receive one event twice and ack every event once", B,
                   AOF_QUEUE_BACKENDS) {
  constexpr int kProducers = 2;
  constexpr int kConsumers = 8;
  constexpr int kPerProducer = 250;
  constexpr int kTotal = kProducers * kPerProducer;
  Fixture<B> f;
  std::mutex mu;
  std::map<std::string, int> deliveries;  // guarded by mu
  std::vector<std::string> errors;        // guarded by mu
  std::atomic<int> acked{0};

  auto record_error = [&](const std::string& what) {
    std::lock_guard lock(mu);
    errors.push_back(what);
  };
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      // Publishes are started together and awaited after: concurrent round trips.
      std::vector<std::future<Result<PublishReceipt>>> pending;
      for (int i = 0; i < kPerProducer; ++i) {
        const std::string id = std::to_string(p) + "-" + std::to_string(i);
        pending.push_back(f.queue->publish(f.envelope(id, "key-" + id)));
      }
      for (auto& receipt : pending) {
        auto r = receipt.get();
        if (!r.ok()) record_error("publish: " + r.error().message());
        if (r.ok() && r->status != PublishStatus::kAccepted) record_error("publish: duplicate");
      }
    });
  }
  for (int c = 0; c < kConsumers; ++c) {
    threads.emplace_back([&, c] {
      const std::string name = "w" + std::to_string(c);
      const auto give_up = SteadyClock::now() + std::chrono::seconds(60);
      // Bounded: a lost event fails the checks below instead of hanging the test.
      while (acked.load() < kTotal && SteadyClock::now() < give_up) {
        auto fetched = f.queue->fetch(name, 5, Millis(100));
        if (!fetched.ok()) {
          record_error("fetch: " + fetched.error().message());
          continue;
        }
        for (const auto& d : *fetched) {
          {
            std::lock_guard lock(mu);
            ++deliveries[d.envelope.id];
          }
          const Status s = f.queue->ack(d, {{"by", name}});
          if (!s.ok()) record_error("ack " + d.envelope.id + ": " + s.error().message());
          ++acked;
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  CHECK(errors.empty());
  for (std::size_t i = 0; i < errors.size() && i < 5; ++i) MESSAGE(errors[i]);
  CHECK(deliveries.size() == static_cast<std::size_t>(kTotal));
  int twice = 0;
  for (const auto& [id, count] : deliveries) twice += count > 1 ? 1 : 0;
  CHECK(twice == 0);
  const QueueStats s = f.stats();
  CHECK(s.depth == 0);
  CHECK(s.pending == 0);
  CHECK(s.results == kTotal);
}

}  // namespace
}  // namespace aof::queue::conformance
