#include "common/runtime/executor.h"

#include "common/runtime/approval/approvals.h"
#include "common/runtime/fleet/fleet_runner.h"
#include "common/runtime/flow/flow_runner.h"
#include "common/runtime/flow/run_context.h"
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

Error not_loaded(const std::string& kind, const std::string& name, const std::string& where) {
  return Error(ErrorCode::kUnavailable, kind + " \"" + name +
                                            "\" is not loaded by this worker (check " + where +
                                            "; retrying in case a config rollout is in progress)");
}

Error no_http(const std::string& kind, const std::string& name) {
  return Error(ErrorCode::kInvalidArgument,
               kind + " \"" + name + "\": this process has no HTTP client for LLM calls");
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
      approvals_(deps.approvals),
      send_message_(std::move(deps.send_message)) {}

Result<nlohmann::json> Executor::execute(const event::Envelope& envelope,
                                         const ExecutionContext& context, bool* permanent) const {
  *permanent = false;
  const auto journal = tool_journal(state_, envelope, context);
  const Execution execution{envelope, context, journal.get(), nullptr};
  const TimePoint deadline = clock_.now() + std::chrono::seconds(runtime_.task_timeout_secs);
  switch (envelope.target.kind) {
    case event::TargetKind::kAgentFlow:
      return run_agent_flow(execution, permanent);
    case event::TargetKind::kAgent:
      return run_named_agent(envelope.target.name, envelope.text, deadline, execution, permanent);
    case event::TargetKind::kAgentFleet: {
      auto result = run_named_fleet(envelope.target.name, envelope.text, deadline, execution);
      if (!result.ok()) *permanent = !is_retryable(result.error().code());
      return result;
    }
    case event::TargetKind::kApproval:
      break;  // resolved before the executor, by approval/approval_job.h
  }
  *permanent = true;
  return Error(ErrorCode::kInvalidArgument,
               "an approval decision reached the executor without the approval job");
}

Result<nlohmann::json> Executor::run_agent_flow(const Execution& outer, bool* permanent) const {
  const event::Envelope& envelope = outer.envelope;
  const auto found = resources_->flows.find(envelope.target.name);
  if (found == resources_->flows.end()) {
    return not_loaded("flow", envelope.target.name, "spec.flows.directory");
  }
  const config::AgentFlow& flow = found->second;
  const nlohmann::json trigger_data = event::trigger_data(envelope);
  // spec.context for the agents' command tools, expanded against the trigger data (Script
  // nodes expand it again with the run's variables).
  std::optional<flow::RunContext> context;
  if (flow.context) {
    auto expanded = flow::run_context(*flow.context, flow::FlowState(trigger_data));
    if (!expanded.ok()) {
      *permanent = true;
      return expanded.error().with_context("flow \"" + flow.name + "\"");
    }
    context = std::move(*expanded);
  }
  const Execution execution{envelope, outer.context, outer.journal,
                            context ? &*context : nullptr};
  FlowRunOptions options;
  options.run_id = envelope.id;
  options.cancelled = outer.context.cancelled;
  options.deadline = clock_.now() + std::chrono::seconds(runtime_.task_timeout_secs);
  options.http = llm_deps_.http.get();
  options.run_agent = [&](const std::string& agent, const std::string& input,
                          TimePoint deadline) {
    bool unused = false;
    return run_named_agent(agent, input, deadline, execution, &unused);
  };
  options.run_agent_definition = [&](const config::Agent& agent, const std::string& input,
                                     TimePoint deadline) {
    return run_agent_definition(agent, input, deadline, execution);
  };
  options.run_fleet = [&](const std::string& fleet, const std::string& input,
                          TimePoint deadline) {
    return run_named_fleet(fleet, input, deadline, execution);
  };
  options.send_message = send_message_;
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
  auto result = run_flow(flow, trigger_data, options);
  if (!result.ok()) *permanent = !is_retryable(result.error().code());
  return result;
}

Result<nlohmann::json> Executor::run_named_fleet(const std::string& name, const std::string& text,
                                                 TimePoint deadline,
                                                 const Execution& execution) const {
  const auto found = resources_->fleets.find(name);
  if (found == resources_->fleets.end()) {
    return not_loaded("fleet", name, "spec.agents.directory");
  }
  if (!llm_deps_.http) return no_http("fleet", name);
  fleet::FleetRunDeps deps;
  deps.clock = &clock_;
  deps.deadline = deadline;
  deps.run_agent = [&](const config::Agent& agent, const std::string& input,
                       TimePoint member_deadline) {
    return run_agent_definition(agent, input, member_deadline, execution);
  };
  return fleet::run_fleet(found->second, text, deps);
}

agent::AgentRun Executor::agent_run(const std::string& text, TimePoint deadline,
                                    const Execution& execution) const {
  agent::AgentRun run;
  run.text = text;
  run.event_id = execution.envelope.id;
  run.deadline = deadline;
  run.cancelled = execution.context.cancelled;
  run.tool_journal = execution.journal;
  if (execution.run_context != nullptr) {
    run.tool_env = execution.run_context->env;
    run.tool_working_dir = execution.run_context->working_dir;
  }
  return run;
}

Result<nlohmann::json> Executor::run_agent_definition(const config::Agent& agent,
                                                      const std::string& text,
                                                      TimePoint deadline,
                                                      const Execution& execution) const {
  if (!llm_deps_.http) return no_http("agent", agent.name);
  const agent::AgentRun run = agent_run(text, deadline, execution);
  const auto loaded = resources_->agents.find(agent.name);
  const bool same = loaded != resources_->agents.end() && loaded->second.tools == agent.tools &&
                    loaded->second.mcp_servers == agent.mcp_servers;
  const auto tools = same ? agent_tools_.find(agent.name) : agent_tools_.end();
  if (tools != agent_tools_.end()) return agent::run_agent(agent, tools->second, run, llm_deps_);
  return agent::run_agent(agent, tools_for_agent_ ? tools_for_agent_(agent) : tools::ToolSet{},
                          run, llm_deps_);
}

Result<nlohmann::json> Executor::run_named_agent(const std::string& name, const std::string& text,
                                                 TimePoint deadline, const Execution& execution,
                                                 bool* permanent) const {
  const auto found = resources_->agents.find(name);
  if (found == resources_->agents.end()) {
    return not_loaded("agent", name, "spec.agents.directory");
  }
  if (!llm_deps_.http) {
    *permanent = true;
    return no_http("agent", name);
  }
  agent::AgentRun run = agent_run(text, deadline, execution);
  run.memory = memory_.get();
  run.conversation_key = agent::conversation_key(found->first, execution.envelope);
  static const tools::ToolSet kNoTools;
  const auto tools = agent_tools_.find(found->first);
  auto result = agent::run_agent(
      found->second, tools == agent_tools_.end() ? kNoTools : tools->second, run, llm_deps_);
  if (!result.ok()) *permanent = !is_retryable(result.error().code());
  return result;
}

}  // namespace aof::runtime
