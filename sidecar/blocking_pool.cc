#include "sidecar/blocking_pool.h"

#include <system_error>

namespace aof::sidecar {

BlockingPool::BlockingPool(std::size_t max_threads, std::size_t max_queued)
    : max_threads_(max_threads == 0 ? 1 : max_threads), max_queued_(max_queued) {}

BlockingPool::~BlockingPool() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (auto& thread : threads) thread.join();
}

bool BlockingPool::run(std::function<void()> task) {
  std::unique_lock lock(mu_);
  if (stopping_ || tasks_.size() >= max_queued_) return false;
  if (idle_ <= tasks_.size() && threads_.size() < max_threads_) {
    try {
      threads_.emplace_back([this] { work(); });
    } catch (const std::system_error&) {
      if (threads_.empty()) return false;  // no thread at all would ever run it
    }
  }
  tasks_.push_back(std::move(task));
  lock.unlock();
  wake_.notify_one();
  return true;
}

void BlockingPool::work() {
  std::unique_lock lock(mu_);
  while (true) {
    ++idle_;
    wake_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
    --idle_;
    if (tasks_.empty()) return;  // stopping, and nothing left to run
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    task = nullptr;  // its captures go before the lock is taken again
    lock.lock();
  }
}

}  // namespace aof::sidecar
