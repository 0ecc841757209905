// Memory queue from several threads: blocking fetch and a publish/consume smoke test.
// Run under TSan (AOF_TSAN) in CI. Nothing here asserts timing.
#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <map>
#include <thread>

#include "tests/unit/queue/memory_fixture.h"

namespace aof::queue::testing {
namespace {

TEST_CASE_FIXTURE(MemoryQueueFixture, "a blocking fetch wakes up on a publish") {
  // The wait (60 s) far exceeds how long the test allows (30 s): a fetch that only returned
  // when its wait ran out would fail the check below, not pass slowly.
  auto fetched =
      std::async(std::launch::async, [&] { return queue->fetch("w", 1, Millis(60000)); });
  std::this_thread::sleep_for(Millis(20));  // let it block first (not required for a pass)
  publish_ids({"a"});
  REQUIRE(fetched.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  const auto deliveries = fetched.get();
  REQUIRE(deliveries.ok());
  REQUIRE(deliveries->size() == 1);
  CHECK((*deliveries)[0].envelope.id == "a");
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "a blocking fetch wakes up on a release") {
  publish_ids({"a"});
  const Delivery held = fetch_one("w1");
  auto fetched =
      std::async(std::launch::async, [&] { return queue->fetch("w2", 1, Millis(60000)); });
  std::this_thread::sleep_for(Millis(20));
  REQUIRE(queue->release(held).ok());
  REQUIRE(fetched.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  const auto deliveries = fetched.get();
  REQUIRE(deliveries.ok());
  REQUIRE(deliveries->size() == 1);
  CHECK((*deliveries)[0].consumer == "w2");
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "a blocking fetch on an empty queue returns nothing") {
  const auto deliveries = queue->fetch("w", 5, Millis(10));
  REQUIRE(deliveries.ok());
  CHECK(deliveries->empty());
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "fetch refuses an anonymous consumer") {
  const auto deliveries = queue->fetch("", 1, Millis(0));
  REQUIRE_FALSE(deliveries.ok());
  CHECK(deliveries.error().code() == ErrorCode::kInvalidArgument);
}

TEST_CASE_FIXTURE(MemoryQueueFixture, "concurrent producers and consumers ack every event once") {
  constexpr int kProducers = 4;
  constexpr int kConsumers = 4;
  constexpr int kPerProducer = 250;
  constexpr int kTotal = kProducers * kPerProducer;
  std::mutex mu;
  std::map<std::string, int> acks;  // guarded by mu
  std::atomic<int> acked{0};
  std::atomic<int> failures{0};

  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      for (int i = 0; i < kPerProducer; ++i) {
        const std::string id = std::to_string(p) + "-" + std::to_string(i);
        auto receipt = queue->publish(envelope(id, "key-" + id)).get();
        if (!receipt.ok() || receipt->status != PublishStatus::kAccepted) ++failures;
      }
    });
  }
  for (int c = 0; c < kConsumers; ++c) {
    threads.emplace_back([&, c] {
      const std::string name = "w" + std::to_string(c);
      int idle = 0;  // bounded: a lost event fails the checks below instead of hanging
      while (acked.load() < kTotal && idle < 2000) {
        auto deliveries = queue->fetch(name, 3, Millis(5));
        if (!deliveries.ok()) ++failures;
        idle = deliveries.ok() && !deliveries->empty() ? 0 : idle + 1;
        for (const auto& d : deliveries.ok() ? *deliveries : std::vector<Delivery>{}) {
          if (!queue->ack(d, {}).ok()) ++failures;
          std::lock_guard lock(mu);
          ++acks[d.envelope.id];
          ++acked;
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  CHECK(failures.load() == 0);
  CHECK(acks.size() == static_cast<std::size_t>(kTotal));
  for (const auto& [id, count] : acks) CHECK_MESSAGE(count == 1, id);
  const QueueStats s = stats();
  CHECK(s.depth == 0);
  CHECK(s.pending == 0);
  CHECK(s.results == kTotal);
}

}  // namespace
}  // namespace aof::queue::testing
