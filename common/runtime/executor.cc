#include "common/runtime/executor.h"

#include "common/runtime/approval/approvals.h"
#include "common/runtime/fleet/fleet_runner.h"
#include "common/runtime/flow/flow_runner.h"
#include "common/runtime/flow/state_checkpoints.h"

namespace aof::runtime {

namespace {

llm::LlmDeps llm_deps(ExecutorDeps& deps, const config::RuntimeConfig& runtime,
                      const Clock& clock) {
  llm::LlmDeps out;
  out.http = std::move(deps.http);
  out.env = deps.env ? std::move(deps.env) : [](const char*) -> const char* { return nullptr; };
  out.base_urls = runtime.llm_base_urls;
  out.clock = &clock;
  out.sleep = std::move(deps.sleep);
  return out;
}

std::map<std::string, tools::ToolSet> build_tools(const config::ResourceSet& resources,
                                                  const ToolsFactory& tools_for_agent) {
  std::map<std::string, tools::ToolSet> tools;
  if (!tools_for_agent) return tools;
  for (const auto& [name, agent] : resources.agents) tools[name] = tools_for_agent(agent);
  return tools;
}

// One per execution: its agent runs share it (tool_journal.h). Null without a state store.
std::unique_ptr<agent::ToolJournal> tool_journal(const std::shared_ptr<queue::StateStore>& state,
                                                 const event::Envelope& envelope,
                                                 const ExecutionContext& context) {
  if (!state) return nullptr;
  return std::make_unique<agent::ToolJournal>(*state, envelope.id, envelope.generation,
                                              context.worker);
}

}  // namespace

Executor::Executor(std::shared_ptr<const config::ResourceSet> resources,
                   config::RuntimeConfig runtime, Clock& clock, ExecutorDeps deps)
    : resources_(std::move(resources)),
      runtime_(std::move(runtime)),
      clock_(clock),
      tools_for_agent_(std::move(deps.tools_for_agent)),
      agent_tools_(build_tools(*resources_, tools_for_agent_)),
      llm_deps_(llm_deps(deps, runtime_, clock_)),
      memory_(deps.state ? std::make_shared<const agent::ConversationMemory>(deps.state)
                         : nullptr),
      state_(deps.state),
      approvals_(deps.approvals) {}

Result<nlohmann::json> Executor::execute(const event::Envelope& envelope,
                                         const ExecutionContext& context, bool* permanent) const {
  *permanent = false;
  switch (envelope.target.kind) {
    case event::TargetKind::kAgentFlow:
      return run_agent_flow(envelope, context, permanent);
    case event::TargetKind::kAgent:
      return run_agent(envelope, context, permanent);
    case event::TargetKind::kAgentFleet:
      return run_fleet(envelope, context, permanent);
    case event::TargetKind::kApproval:
      break;  // resolved before the executor, by approval/approval_job.h
  }
  *permanent = true;
  return Error(ErrorCode::kInvalidArgument,
               "an approval decision reached the executor without the approval job");
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
  options.http = llm_deps_.http.get();
  const auto journal = tool_journal(state_, envelope, context);
  options.run_agent = [&](const std::string& agent, const std::string& input,
                          TimePoint deadline) {
    bool unused = false;
    return run_named_agent(agent, input, envelope, deadline, context, journal.get(), &unused);
  };
  if (approvals_) {
    options.approval = [&](const ApprovalRequest& request) {
      return approvals_->ask(envelope, request);
    };
  }
  std::unique_ptr<flow::StateCheckpoints> checkpoints;
  if (state_) {
    auto opened = flow::StateCheckpoints::open(*state_, envelope);
    if (!opened.ok()) return opened.error();  // retryable: running afresh could repeat effects
    checkpoints = std::move(*opened);
    options.checkpoints = checkpoints.get();
  }
  auto result = run_flow(found->second, event::trigger_data(envelope), options);
  if (!result.ok()) *permanent = !is_retryable(result.error().code());
  return result;
}

Result<nlohmann::json> Executor::run_fleet(const event::Envelope& envelope,
                                           const ExecutionContext& context, bool* permanent) const {
  const auto found = resources_->fleets.find(envelope.target.name);
  if (found == resources_->fleets.end()) {
    return Error(ErrorCode::kUnavailable, "fleet \"" + envelope.target.name +
                                              "\" is not loaded by this worker (check "
                                              "spec.agents.directory; retrying in case a config "
                                              "rollout is in progress)");
  }
  if (!llm_deps_.http) {
    *permanent = true;
    return Error(ErrorCode::kInvalidArgument, "fleet \"" + envelope.target.name +
                                                  "\": this process has no HTTP client for LLM "
                                                  "calls");
  }
  const TimePoint deadline = clock_.now() + std::chrono::seconds(runtime_.task_timeout_secs);
  fleet::FleetRunDeps deps;
  const auto journal = tool_journal(state_, envelope, context);
  deps.run_agent = [&](const config::Agent& agent, const std::string& input) {
    agent::AgentRun run;
    run.text = input;
    run.event_id = envelope.id;
    run.deadline = deadline;
    run.cancelled = context.cancelled;
    run.tool_journal = journal.get();
    // A member named like a loaded agent shares its tools; an inline member gets its own.
    const auto loaded = agent_tools_.find(agent.name);
    const tools::ToolSet tools = loaded != agent_tools_.end() ? loaded->second
                                 : tools_for_agent_       ? tools_for_agent_(agent)
                                                          : tools::ToolSet{};
    return agent::run_agent(agent, tools, run, llm_deps_);
  };
  auto result = fleet::run_fleet(found->second, envelope.text, deps);
  if (!result.ok()) *permanent = !is_retryable(result.error().code());
  return result;
}

Result<nlohmann::json> Executor::run_agent(const event::Envelope& envelope,
                                           const ExecutionContext& context, bool* permanent) const {
  const auto journal = tool_journal(state_, envelope, context);
  return run_named_agent(envelope.target.name, envelope.text, envelope,
                         clock_.now() + std::chrono::seconds(runtime_.task_timeout_secs), context,
                         journal.get(), permanent);
}

Result<nlohmann::json> Executor::run_named_agent(const std::string& name, const std::string& text,
                                                 const event::Envelope& envelope,
                                                 TimePoint deadline,
                                                 const ExecutionContext& context,
                                                 agent::ToolJournal* journal,
                                                 bool* permanent) const {
  const auto found = resources_->agents.find(name);
  if (found == resources_->agents.end()) {
    return Error(ErrorCode::kUnavailable, "agent \"" + name +
                                              "\" is not loaded by this worker (check "
                                              "spec.agents.directory; retrying in case a config "
                                              "rollout is in progress)");
  }
  if (!llm_deps_.http) {
    *permanent = true;
    return Error(ErrorCode::kInvalidArgument,
                 "agent \"" + name + "\": this process has no HTTP client for LLM calls");
  }
  agent::AgentRun run;
  run.text = text;
  run.event_id = envelope.id;
  run.deadline = deadline;
  run.cancelled = context.cancelled;
  run.memory = memory_.get();
  run.conversation_key = agent::conversation_key(found->first, envelope);
  run.tool_journal = journal;
  static const tools::ToolSet kNoTools;
  const auto tools = agent_tools_.find(found->first);
  auto result = agent::run_agent(
      found->second, tools == agent_tools_.end() ? kNoTools : tools->second, run, llm_deps_);
  if (!result.ok()) *permanent = !is_retryable(result.error().code());
  return result;
}

}  // namespace aof::runtime
