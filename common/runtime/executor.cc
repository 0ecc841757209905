#include "common/runtime/executor.h"

#include "common/runtime/flow/flow_runner.h"

namespace aof::runtime {

Executor::Executor(std::shared_ptr<const config::ResourceSet> resources,
                   config::RuntimeConfig runtime, Clock& clock)
    : resources_(std::move(resources)), runtime_(std::move(runtime)), clock_(clock) {}

Result<nlohmann::json> Executor::execute(const event::Envelope& envelope,
                                         const ExecutionContext& context, bool* permanent) const {
  *permanent = false;
  switch (envelope.target.kind) {
    case event::TargetKind::kAgentFlow:
      return run_agent_flow(envelope, context, permanent);
    case event::TargetKind::kAgent:
      *permanent = true;
      return Error(ErrorCode::kInvalidArgument,
                   "target Agent \"" + envelope.target.name +
                       "\" cannot run: this build has no agent runtime yet (issue 7 adds LLM "
                       "agents); bind the command to a flow instead");
    case event::TargetKind::kAgentFleet:
      *permanent = true;
      return Error(ErrorCode::kInvalidArgument,
                   "target AgentFleet \"" + envelope.target.name +
                       "\" cannot run: this build has no fleet runtime yet (issue 8 adds "
                       "fleets); bind the command to a flow instead");
  }
  *permanent = true;
  return Error(ErrorCode::kInvalidArgument, "unknown target kind");
}

Result<nlohmann::json> Executor::run_agent_flow(const event::Envelope& envelope,
                                                const ExecutionContext& context,
                                                bool* permanent) const {
  const auto found = resources_->flows.find(envelope.target.name);
  if (found == resources_->flows.end()) {
    return Error(ErrorCode::kUnavailable, "flow \"" + envelope.target.name +
                                              "\" is not loaded by this worker (check "
                                              "spec.flows.directory; retrying in case a config "
                                              "rollout is in progress)");
  }
  FlowRunOptions options;
  options.run_id = envelope.id;
  options.cancelled = context.cancelled;
  options.deadline = clock_.now() + std::chrono::seconds(runtime_.task_timeout_secs);
  auto result = run_flow(found->second, event::trigger_data(envelope), options);
  if (!result.ok()) *permanent = !is_retryable(result.error().code());
  return result;
}

}  // namespace aof::runtime
