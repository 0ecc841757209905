#pragma once
// The worker role's lifecycle, shared by `aof-work run` and `aof serve` (worker, standalone):
// the executor and the consume loop, plus the optional listener on spec.worker.port (0 =
// none) answering GET /healthz (200 while the process lives), /readyz (200 while taking
// work, 503 from set_draining() on), /metrics (aof_worker_* in Prometheus text) and the
// loopback-only /v1/events/{id}, /v1/dlq. Not thread-safe: one owner drives it.

#include <memory>
#include <string>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/queue/broker.h"
#include "sidecar/startup.h"

namespace aof::cli {

class WorkerRole {
 public:
  // Builds the executor and worker on `broker` (its queue, and its state store for the pause
  // of `aof drain`); binds the listener if worker.port is set. `consumer` "" =
  // <hostname>-<pid>. Errors: kInternal when the listener's address cannot be bound.
  static Result<std::unique_ptr<WorkerRole>> create(const sidecar::LoadedDaemon& daemon,
                                                    const queue::Broker& broker, Clock& clock,
                                                    std::string consumer);
  ~WorkerRole();  // drains if still running
  WorkerRole(const WorkerRole&) = delete;
  WorkerRole& operator=(const WorkerRole&) = delete;

  // Starts consuming and serving the listener (logged: "worker listening on http://H:P").
  void start();
  // Runs events that start from now on with the agents, fleets, flows and runtime settings
  // of `daemon`; running ones finish with what they started with. Thread-safe.
  void reload(const sidecar::LoadedDaemon& daemon);
  // /readyz answers 503 from now on; work continues until drain().
  void set_draining();
  // The aof_worker_* metrics in Prometheus text. Thread-safe.
  std::string metrics_text() const;
  // Drains (worker.h): unstarted deliveries released at once, running ones finish within
  // drain_grace_secs; then stops the listener. Blocks. Returns how many were released.
  int drain();

 private:
  class Impl;
  explicit WorkerRole(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace aof::cli
