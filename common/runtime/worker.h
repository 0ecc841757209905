#pragma once
// The consume loop shared by `aof-work run` and `aof serve` (DESIGN §5, §7): fetches with
// `concurrency` slots plus `prefetch`, keeps every held lease alive, runs each delivery
// through a Job, then acks or fails it. Between fetches (at most every poll_wait) it calls
// queue maintain(), so due retries and expired leases of dead workers come back. Drain: stop
// fetching, give unstarted deliveries back at once, let running ones finish within the grace
// period, then cancel and release the rest.
// Pause (`aof drain`, queue/pause.h): while the broker-wide pause names this consumer the
// worker fetches nothing, gives prefetched deliveries back at once, lets running jobs finish
// and keeps calling maintain(); it reads the pause every pause_check, also before its first
// fetch, so a worker started during a pause comes up paused. It stays a running process:
// `aof resume` lets it fetch again.

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/event/envelope.h"
#include "common/queue/queue.h"
#include "common/queue/state.h"

namespace aof::runtime {

struct JobContext {
  std::string worker;                            // consumer name
  const std::atomic<bool>* cancelled = nullptr;  // set when the drain grace ran out
};

// Runs one event and returns its result, or an error; sets *permanent when retrying cannot
// help (the event is then dead-lettered at once). Called concurrently from the slots.
using Job = std::function<Result<nlohmann::json>(const event::Envelope&, const JobContext&,
                                                 bool* permanent)>;

struct WorkerOptions {
  std::string consumer = "worker";  // name on the broker (unique per process)
  int concurrency = 10;             // jobs in parallel
  int prefetch = 5;                 // deliveries held ahead of free slots
  Millis lease{30000};              // the queue's lease; extended every lease/3
  Millis drain_grace{300000};       // how long running jobs may finish on drain
  Millis poll_wait{500};            // longest fetch wait (bounds drain reaction time)
  // Where `aof drain` sets the pause; null = this worker is never paused.
  std::shared_ptr<queue::StateStore> pause_state;
  Millis pause_check{250};  // how often the pause is read; with poll_wait bounds the reaction
  // Called from the fetch thread at most every housekeeping_every, paused or not (the
  // approval timeout sweep, approval/approval_job.h); empty = nothing. Must not block long.
  std::function<void()> housekeeping;
  Millis housekeeping_every{5000};
};

class Worker {
 public:
  Worker(std::shared_ptr<queue::Queue> queue, Job job, WorkerOptions options);
  ~Worker();  // drains if still running
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Starts the fetch, slot and lease threads. Not blocking.
  void start();

  // Stops taking work and drains as described above; blocks until every thread ended.
  // Returns how many deliveries were released (given back unfinished).
  int drain();

  // Whether the worker is taking work (false once drain() began).
  bool running() const { return running_.load(); }

  // Counters for metrics and tests.
  struct Counters {
    std::atomic<long long> succeeded{0};
    std::atomic<long long> failed{0};
    std::atomic<long long> released{0};
    std::atomic<long long> lease_lost{0};
    std::atomic<int> busy{0};        // gauge: jobs running now
    std::atomic<int> prefetched{0};  // gauge: fetched, waiting for a free slot
    std::atomic<bool> paused{false};  // gauge: held by `aof drain`
  };
  const Counters& counters() const { return counters_; }

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> running_{false};
  Counters counters_;
};

}  // namespace aof::runtime
