#pragma once
// Runs each watched callback once its timeout has passed, on a thread of its own: the
// gateway's event-loop path answers a webhook whose broker has not confirmed in time this
// way, without a thread waiting per request. A callback decides for itself whether it is
// still due (the broker may have answered first); it should hold what it needs weakly, since
// an entry stays here until its deadline.
// Cheap per call: entries with the same timeout are due in the order they were watched, so
// each timeout has a FIFO (no heap), and the thread wakes at most every kTick however many
// entries are due, so a callback runs up to kTick late. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace aof::sidecar {

class DeadlineWatch {
 public:
  static constexpr std::chrono::milliseconds kTick{50};

  DeadlineWatch();
  ~DeadlineWatch();  // joins; callbacks not yet due never run
  DeadlineWatch(const DeadlineWatch&) = delete;
  DeadlineWatch& operator=(const DeadlineWatch&) = delete;

  void watch(std::chrono::milliseconds timeout, std::function<void()> expire);

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Entry {
    TimePoint deadline;
    std::function<void()> expire;
  };

  void run();
  // The earliest deadline of all FIFOs' fronts; mu_ held, some entry present.
  TimePoint earliest() const;

  std::mutex mu_;
  std::condition_variable wake_;
  std::map<std::chrono::milliseconds::rep, std::deque<Entry>> by_timeout_;  // guarded by mu_
  std::size_t entries_ = 0;                                                 // guarded by mu_
  bool stopping_ = false;                                                   // guarded by mu_
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace aof::sidecar
