#pragma once
// Forwards spooled events to the broker (DESIGN §5): one thread reads the spool in order,
// publishes a batch, and commits the records the broker confirmed. Publishing is idempotent
// by event id: a record whose event the broker already has (its publish went through after
// all, or the sidecar died between publish and commit) comes back as a duplicate, which
// counts as forwarded. While the broker refuses, the thread backs off (up to 2 s) and tries
// again; a record the broker rejects as invalid can never be forwarded and is moved aside to
// <spool>/rejected/ with an error log saying so.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "common/queue/queue.h"
#include "sidecar/spool.h"

namespace aof::sidecar {

class SpoolForwarder {
 public:
  // Starts the thread. `spool` must outlive this object.
  SpoolForwarder(Spool& spool, std::shared_ptr<queue::Queue> queue);
  ~SpoolForwarder();  // stops the thread; what is not forwarded stays in the spool
  SpoolForwarder(const SpoolForwarder&) = delete;
  SpoolForwarder& operator=(const SpoolForwarder&) = delete;

  // Something was appended: forward it without waiting for the next poll.
  void wake();

  // Whether the last attempt to reach the broker failed (until one succeeds again).
  bool broker_down() const { return broker_down_.load(); }
  void set_broker_down() { broker_down_ = true; }
  void set_broker_up() { broker_down_ = false; }

  std::uint64_t forwarded() const { return forwarded_.load(); }
  std::uint64_t rejected() const { return rejected_.load(); }

 private:
  void loop();
  // Forwards one batch; false when the broker refused (back off before the next).
  bool forward_batch();
  void reject(const std::string& bytes, const std::string& why);

  Spool& spool_;
  std::shared_ptr<queue::Queue> queue_;
  std::atomic<bool> broker_down_{false};
  std::atomic<std::uint64_t> forwarded_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::mutex mu_;
  std::condition_variable wake_;
  bool woken_ = false;     // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace aof::sidecar
