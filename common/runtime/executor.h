#pragma once
// The executor: runs one envelope's target (DESIGN §7). This build runs AgentFlows; Agent and
// AgentFleet targets fail permanently with a message naming the issue that adds them.
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
  std::string worker;                            // consumer name, for logs
  const std::atomic<bool>* cancelled = nullptr;  // drain grace ran out
};

class Executor {
 public:
  // `resources` is shared and immutable (a reload swaps in a new executor).
  Executor(std::shared_ptr<const config::ResourceSet> resources, config::RuntimeConfig runtime,
           Clock& clock);

  // Runs the envelope's target within runtime.task_timeout_secs; returns its result JSON.
  // Sets *permanent when retrying cannot help: the target kind cannot run in this build, or
  // the resource is invalid (kInvalidArgument). An unknown target name is retryable (a
  // rolling config update may be in flight), so it dead-letters after the retries.
  Result<nlohmann::json> execute(const event::Envelope& envelope, const ExecutionContext& context,
                                 bool* permanent) const;

 private:
  Result<nlohmann::json> run_agent_flow(const event::Envelope& envelope,
                                        const ExecutionContext& context, bool* permanent) const;

  std::shared_ptr<const config::ResourceSet> resources_;
  config::RuntimeConfig runtime_;
  Clock& clock_;
};

}  // namespace aof::runtime
