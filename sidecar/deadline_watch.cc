#include "sidecar/deadline_watch.h"

#include <algorithm>
#include <vector>

namespace aof::sidecar {

DeadlineWatch::DeadlineWatch() : thread_([this] { run(); }) {}

DeadlineWatch::~DeadlineWatch() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void DeadlineWatch::watch(std::chrono::milliseconds timeout, std::function<void()> expire) {
  const TimePoint deadline = std::chrono::steady_clock::now() + timeout;
  bool first = false;
  {
    std::lock_guard lock(mu_);
    auto& fifo = by_timeout_[timeout.count()];
    // Behind a non-empty FIFO this entry is due after its front, which the thread already
    // waits for: no wake-up needed.
    first = fifo.empty();
    fifo.push_back(Entry{deadline, std::move(expire)});
    ++entries_;
  }
  if (first) wake_.notify_one();
}

DeadlineWatch::TimePoint DeadlineWatch::earliest() const {
  TimePoint first = TimePoint::max();
  for (const auto& [timeout, fifo] : by_timeout_) {
    if (!fifo.empty()) first = std::min(first, fifo.front().deadline);
  }
  return first;
}

void DeadlineWatch::run() {
  std::vector<std::function<void()>> due;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (entries_ == 0) {
      wake_.wait(lock);
      continue;
    }
    const TimePoint now = std::chrono::steady_clock::now();
    if (earliest() > now) {
      wake_.wait_until(lock, earliest());
      continue;
    }
    for (auto& [timeout, fifo] : by_timeout_) {
      while (!fifo.empty() && fifo.front().deadline <= now) {
        due.push_back(std::move(fifo.front().expire));
        fifo.pop_front();
        --entries_;
      }
    }
    lock.unlock();
    for (auto& expire : due) expire();
    due.clear();
    // Whatever falls due meanwhile waits for the next tick: one wake-up for many entries.
    std::this_thread::sleep_for(kTick);
    lock.lock();
  }
}

}  // namespace aof::sidecar
