#pragma once
// Threads for the work an event loop must not do on its own thread: an fsync'd spool append,
// a publish on a backend whose publish blocks (NATS), /metrics and admin routes that ask the
// broker. Threads start on demand, up to `max_threads`, and stay. Tasks beyond `max_queued`
// waiting are refused, so a stuck disk or broker turns into quick 503s instead of memory
// growing without bound. Thread-safe.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace aof::sidecar {

class BlockingPool {
 public:
  BlockingPool(std::size_t max_threads, std::size_t max_queued);
  ~BlockingPool();  // runs the tasks already queued, then joins
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // Queues `task`; false (and `task` dropped) when max_queued tasks already wait, when no
  // thread can be started, or after the destructor began.
  bool run(std::function<void()> task);

 private:
  void work();

  const std::size_t max_threads_;
  const std::size_t max_queued_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  std::size_t idle_ = 0;                     // guarded by mu_: threads waiting for a task
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;         // guarded by mu_
};

}  // namespace aof::sidecar
