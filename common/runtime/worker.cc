#include "common/runtime/worker.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "common/base/log.h"
#include "common/queue/pause.h"

namespace aof::runtime {

class Worker::Impl {
 public:
  Impl(std::shared_ptr<queue::Queue> queue, Job job, WorkerOptions options, Counters& counters)
      : queue_(std::move(queue)),
        job_(std::move(job)),
        options_(std::move(options)),
        counters_(counters),
        log_(log::get(log::Component::kWorker)) {}

  void start() {
    fetcher_ = std::thread([this] { fetch_loop(); });
    keeper_ = std::thread([this] { keep_leases_loop(); });
    for (int i = 0; i < options_.concurrency; ++i) slots_.emplace_back([this] { slot_loop(); });
  }

  int drain();

 private:
  void fetch_loop();
  void slot_loop();
  void keep_leases_loop();
  void run_one(const queue::Delivery& delivery);
  void settle_failure(const queue::Delivery& delivery, const Error& error, bool permanent);
  int release_unstarted();
  void maintain_if_due();
  bool paused();
  void wait_while_paused();
  void update_gauges_locked();
  bool wait_idle_until(std::chrono::steady_clock::time_point deadline);

  std::shared_ptr<queue::Queue> queue_;
  Job job_;
  WorkerOptions options_;
  Counters& counters_;
  std::shared_ptr<spdlog::logger> log_;

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<queue::Delivery> ready_;                    // guarded by mu_: fetched, not started
  std::map<std::string, queue::Delivery> held_;          // guarded by mu_: every lease we hold
  int busy_ = 0;                                         // guarded by mu_: jobs running
  bool stopping_ = false;                                // guarded by mu_
  bool paused_ = false;  // guarded by mu_: slots start nothing new (counters_.paused mirrors it)
  std::atomic<bool> cancelled_{false};                   // drain grace ran out
  std::chrono::steady_clock::time_point last_maintain_;  // fetch thread only
  std::chrono::steady_clock::time_point last_housekeeping_;  // fetch thread only
  std::chrono::steady_clock::time_point last_pause_read_;  // fetch thread only

  std::thread fetcher_, keeper_;
  std::vector<std::thread> slots_;
};

void Worker::Impl::fetch_loop() {
  const auto capacity = static_cast<std::size_t>(options_.concurrency + options_.prefetch);
  while (true) {
    std::size_t room = 0;
    {
      // Wakes every pause_check even when full, so a pause is noticed while jobs run.
      std::unique_lock lock(mu_);
      changed_.wait_for(lock, options_.pause_check,
                        [&] { return stopping_ || ready_.size() + busy_ < capacity; });
      if (stopping_) return;
      const std::size_t used = ready_.size() + static_cast<std::size_t>(busy_);
      room = used < capacity ? capacity - used : 0;
    }
    if (paused()) {
      wait_while_paused();
      continue;
    }
    if (room == 0) continue;
    maintain_if_due();
    auto fetched = queue_->fetch(options_.consumer, room, options_.poll_wait);
    if (!fetched.ok()) {
      log_->warn("fetch failed: {}; retrying in {} ms", fetched.error().message(),
                 options_.poll_wait.count());
      std::unique_lock lock(mu_);
      changed_.wait_for(lock, options_.poll_wait, [&] { return stopping_; });
      continue;
    }
    std::lock_guard lock(mu_);
    for (auto& delivery : *fetched) {
      held_.emplace(delivery.handle, delivery);
      ready_.push_back(std::move(delivery));
    }
    update_gauges_locked();
    changed_.notify_all();
  }
}

void Worker::Impl::slot_loop() {
  while (true) {
    queue::Delivery delivery;
    {
      std::unique_lock lock(mu_);
      changed_.wait(lock, [&] { return stopping_ || (!ready_.empty() && !paused_); });
      if (stopping_) return;  // unstarted deliveries are released by drain()
      delivery = std::move(ready_.front());
      ready_.pop_front();
      ++busy_;
      update_gauges_locked();
    }
    run_one(delivery);
    std::lock_guard lock(mu_);
    held_.erase(delivery.handle);
    --busy_;
    update_gauges_locked();
    changed_.notify_all();
  }
}

void Worker::Impl::run_one(const queue::Delivery& delivery) {
  const auto& envelope = delivery.envelope;
  log_->info("event_id={} platform={} tenant={} attempt={} target={}:{} started", envelope.id,
             envelope.platform, envelope.tenant, envelope.attempt,
             event::to_string(envelope.target.kind), envelope.target.name);
  bool permanent = false;
  JobContext context{options_.consumer, &cancelled_};
  auto result = job_(envelope, context, &permanent);
  if (result.ok()) {
    ++counters_.succeeded;
    if (auto acked = queue_->ack(delivery, *result); !acked.ok()) {
      log_->warn("event_id={} finished but ack failed: {}", envelope.id, acked.error().message());
    } else {
      log_->info("event_id={} attempt={} done", envelope.id, envelope.attempt);
    }
    return;
  }
  settle_failure(delivery, result.error(), permanent);
}

void Worker::Impl::settle_failure(const queue::Delivery& delivery, const Error& error,
                                  bool permanent) {
  const auto& envelope = delivery.envelope;
  if (cancelled_.load()) {
    // Interrupted by drain, not failed: give it back without counting an attempt.
    ++counters_.released;
    if (auto released = queue_->release(delivery); !released.ok()) {
      log_->warn("event_id={} release failed: {}", envelope.id, released.error().message());
    }
    return;
  }
  ++counters_.failed;
  auto outcome = queue_->fail(delivery, queue::Failure{error.code(), error.message(), permanent});
  if (!outcome.ok()) {
    log_->warn("event_id={} failed ({}) and recording it failed too: {}", envelope.id,
               error.message(), outcome.error().message());
  } else if (outcome->disposition == queue::Disposition::kDeadLettered) {
    log_->warn("event_id={} attempt={} dead-lettered: {}", envelope.id, envelope.attempt,
               error.message());
  } else {
    log_->warn("event_id={} attempt={} failed, retry in {} ms: {}", envelope.id, envelope.attempt,
               outcome->delay.count(), error.message());
  }
}

void Worker::Impl::keep_leases_loop() {
  const auto period = std::max(Millis(10), options_.lease / 3);
  std::unique_lock lock(mu_);
  while (!changed_.wait_for(lock, period, [&] { return stopping_ && busy_ == 0; })) {
    std::vector<queue::Delivery> held;
    for (const auto& [handle, delivery] : held_) held.push_back(delivery);
    lock.unlock();
    for (const auto& delivery : held) {
      if (auto extended = queue_->extend(delivery); !extended.ok()) {
        ++counters_.lease_lost;
        log_->warn("event_id={} lease lost: {}", delivery.envelope.id, extended.error().message());
      }
    }
    lock.lock();
  }
}

int Worker::Impl::release_unstarted() {
  std::deque<queue::Delivery> unstarted;
  {
    std::lock_guard lock(mu_);
    unstarted.swap(ready_);
    for (const auto& delivery : unstarted) held_.erase(delivery.handle);
    update_gauges_locked();
  }
  for (const auto& delivery : unstarted) {
    if (auto released = queue_->release(delivery); !released.ok()) {
      log_->warn("event_id={} release failed: {}", delivery.envelope.id,
                 released.error().message());
    }
  }
  counters_.released += static_cast<long long>(unstarted.size());
  return static_cast<int>(unstarted.size());
}

// A backend without broker-side timers (Redis) moves due retries and expired leases back only
// when someone asks; every worker does, so a dead worker's events come back after lease_ms.
void Worker::Impl::maintain_if_due() {
  const auto now = std::chrono::steady_clock::now();
  if (options_.housekeeping && now - last_housekeeping_ >= options_.housekeeping_every) {
    last_housekeeping_ = now;
    options_.housekeeping();
  }
  if (now - last_maintain_ < options_.poll_wait) return;
  last_maintain_ = now;
  auto moved = queue_->maintain();
  if (!moved.ok()) {
    log_->warn("maintain failed: {}", moved.error().message());
  } else if (*moved > 0) {
    log_->info("{} due retries or expired leases made deliverable again", *moved);
  }
}

// Reads the pause at most every pause_check; on a read error keeps the last answer (a broker
// hiccup must neither pause nor unpause a fleet).
bool Worker::Impl::paused() {
  if (!options_.pause_state) return false;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_pause_read_ < options_.pause_check) return counters_.paused.load();
  last_pause_read_ = now;
  auto pause = queue::read_pause(*options_.pause_state);
  if (!pause.ok()) {
    log_->warn("reading the pause failed: {}; keeping {}", pause.error().message(),
               counters_.paused.load() ? "paused" : "running");
    return counters_.paused.load();
  }
  const bool paused = pause->pauses(options_.consumer);
  {
    std::lock_guard lock(mu_);
    paused_ = paused;
  }
  changed_.notify_all();
  if (paused != counters_.paused.exchange(paused)) {
    if (paused) {
      log_->info("paused by aof drain ({} at {}); running jobs finish, no new fetches",
                 pause->by, pause->at);
    } else {
      log_->info("resumed: fetching again");
    }
  }
  return paused;
}

// One paused turn of the fetch loop: give prefetched deliveries back, keep timers moving for
// dead workers' leases, sleep until the next pause read.
void Worker::Impl::wait_while_paused() {
  if (const int released = release_unstarted(); released > 0) {
    log_->info("{} prefetched deliveries given back while paused", released);
  }
  maintain_if_due();
  std::unique_lock lock(mu_);
  changed_.wait_for(lock, options_.pause_check, [&] { return stopping_; });
}

void Worker::Impl::update_gauges_locked() {
  counters_.busy = busy_;
  counters_.prefetched = static_cast<int>(ready_.size());
}

bool Worker::Impl::wait_idle_until(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return changed_.wait_until(lock, deadline, [&] { return busy_ == 0; });
}

int Worker::Impl::drain() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (fetcher_.joinable()) fetcher_.join();
  const long long released_before = counters_.released.load();
  release_unstarted();
  const auto deadline = std::chrono::steady_clock::now() + options_.drain_grace;
  if (!wait_idle_until(deadline)) {
    log_->warn("drain grace of {} ms ran out; cancelling running jobs",
               options_.drain_grace.count());
    cancelled_ = true;
    std::unique_lock lock(mu_);
    changed_.wait(lock, [&] { return busy_ == 0; });
  }
  for (auto& slot : slots_) slot.join();
  changed_.notify_all();
  if (keeper_.joinable()) keeper_.join();
  return static_cast<int>(counters_.released.load() - released_before);
}

Worker::Worker(std::shared_ptr<queue::Queue> queue, Job job, WorkerOptions options)
    : impl_(std::make_unique<Impl>(std::move(queue), std::move(job), std::move(options),
                                   counters_)) {}

Worker::~Worker() {
  if (running_.load()) drain();
}

void Worker::start() {
  running_ = true;
  impl_->start();
}

int Worker::drain() {
  if (!running_.exchange(false)) return 0;
  return impl_->drain();
}

}  // namespace aof::runtime
