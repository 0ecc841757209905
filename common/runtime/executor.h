#pragma once
// The executor: runs one envelope's target (DESIGN §7). This build runs AgentFlows; Agent and
// AgentFleet targets fail permanently with a clear message until the agents issue lands.
// Thread-safe: one Executor serves all worker slots. Blocking.

#include <nlohmann/json.hpp>

#include <atomic>
#include <memory>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/config/daemon_config.h"
#include "common/config/resources.h"
#include "common/event/envelope.h"

namespace aof::runtime {

struct ExecutionContext {
  std::string worker;                          // consumer name, for logs
  TimePoint deadline = TimePoint::max();       // runtime.task_timeout_secs from the start
  const std::atomic<bool>* cancelled = nullptr;
};




class Executor {
 public:
  // `resources` is shared and immutable (a reload swaps in a new executor).
  Executor(std::shared_ptr<const config::ResourceSet> resources, config::RuntimeConfig runtime);

  // Runs the envelope's target; returns its result JSON.
  Result<nlohmann::json> execute(const event::Envelope& envelope,
                                 const ExecutionContext& context, bool* permanent) const;

 private:
  std::shared_ptr<const config::ResourceSet> resources_;
  config::RuntimeConfig runtime_;
};

}  // namespace aof::runtime
