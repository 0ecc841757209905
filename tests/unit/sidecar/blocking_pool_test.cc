// The event loop's helpers for work it must not do itself: the bounded pool and the
// deadline watch.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "sidecar/blocking_pool.h"
#include "sidecar/deadline_watch.h"

namespace aof::sidecar {

using namespace std::chrono_literals;

TEST_CASE("blocking pool: tasks beyond max_queued are refused, queued ones all run") {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> ran{0};
  {
    BlockingPool pool(2, 3);
    // Two tasks hold both threads until released.
    std::atomic<int> started{0};
    for (int i = 0; i < 2; ++i) {
      REQUIRE(pool.run([&, gate] {
        ++started;
        gate.wait();
        ++ran;
      }));
    }
    while (started.load() < 2) std::this_thread::sleep_for(1ms);
    // Both threads are busy: three may wait, the fourth is refused.
    for (int i = 0; i < 3; ++i) CHECK(pool.run([&] { ++ran; }));
    CHECK_FALSE(pool.run([&] { ++ran; }));
    release.set_value();
  }  // the destructor runs what is queued
  CHECK(ran.load() == 5);
}

TEST_CASE("blocking pool: no more threads than max_threads run at once") {
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  {
    BlockingPool pool(3, 100);
    for (int i = 0; i < 30; ++i) {
      REQUIRE(pool.run([&] {
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(2ms);
        --running;
      }));
    }
  }
  CHECK(most.load() >= 1);
  CHECK(most.load() <= 3);
}

TEST_CASE("deadline watch: callbacks run after their timeout, in order; later ones never") {
  std::mutex mu;
  std::vector<int> order;
  std::promise<void> both;
  {
    DeadlineWatch watch;
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::chrono::steady_clock::duration> waited(2);
    watch.watch(200ms, [&] {
      std::lock_guard lock(mu);
      waited[1] = std::chrono::steady_clock::now() - start;
      order.push_back(2);
      both.set_value();
    });
    watch.watch(100ms, [&] {
      std::lock_guard lock(mu);
      waited[0] = std::chrono::steady_clock::now() - start;
      order.push_back(1);
    });
    watch.watch(std::chrono::hours(1), [&] {
      std::lock_guard lock(mu);
      order.push_back(3);
    });
    both.get_future().wait();
    std::lock_guard lock(mu);
    // Never early (a lower bound, not a timing assertion on the machine's speed).
    CHECK(waited[0] >= 100ms);
    CHECK(waited[1] >= 200ms);
  }  // destroyed with the one-hour entry pending: it never runs
  CHECK(order == std::vector<int>{1, 2});
}

}  // namespace aof::sidecar
