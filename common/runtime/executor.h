#pragma once
// The executor: runs one envelope's target (DESIGN §7): AgentFlows (flow/flow_runner.h),
// Agents (the LLM tool loop, agent/agent_runner.h) and AgentFleets (fleet/fleet_runner.h).
// A flow's Agent, Fleet, Slack and Discord nodes reach the same runtimes through it.
// Thread-safe: one Executor serves all worker slots. Blocking.

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>

#include "common/base/clock.h"
#include "common/base/http_client.h"
#include "common/base/result.h"
#include "common/config/daemon_config.h"
#include "common/config/resources.h"
#include "common/event/envelope.h"
#include "common/queue/state.h"
#include "common/runtime/agent/agent_runner.h"
#include "common/runtime/flow/flow_runner.h"

namespace aof::runtime {

namespace approval {
class Approvals;
}
namespace agent {
class ToolJournal;
}
namespace flow {
struct RunContext;
}

struct ExecutionContext {
  std::string worker;                            // consumer name, for logs
  const std::atomic<bool>* cancelled = nullptr;  // drain grace ran out
};

// The tools an agent gets (reference §4.4). Injected, so this library does not depend on the
// built-in tools; the binaries pass tools::tools_for_agent.
using ToolsFactory = std::function<tools::ToolSet(const config::Agent&)>;

// What running agents needs from the process; the binaries pass the real ones, tests fakes.
struct ExecutorDeps {
  std::shared_ptr<const HttpClient> http;    // LLM calls; null = Agent targets cannot run
  config::EnvLookup env;                     // API keys and *_BASE_URL / OLLAMA_HOST; empty =
                                             // none set
  ToolsFactory tools_for_agent;              // called once per agent by the constructor (that
                                             // is when agents are loaded: a reload makes a new
                                             // executor); empty = agents get no tools
  std::function<void(Millis)> sleep;         // waits between LLM retries; empty = real sleep
  std::shared_ptr<queue::StateStore> state;  // the broker's state store: agents' conversation
                                             // memory (agent/memory.h), flow checkpoints
                                             // (flow/state_checkpoints.h) and the tool-call
                                             // journal (agent/tool_journal.h); null = none
  std::shared_ptr<approval::Approvals> approvals;  // Approval nodes; null = they fail
  // Posts a flow's Slack/Discord message (and approval requests); the worker builds it from
  // its report-back clients, so the executor holds no platform tokens. Empty = those nodes
  // fail permanently.
  std::function<Result<nlohmann::json>(const ChatMessage&)> send_message;
};

class Executor {
 public:
  // `resources` is shared and immutable (a reload swaps in a new executor). Builds every
  // agent's tools once, here, with deps.tools_for_agent (which keeps `deps` alive as long as
  // the tools need what it captured).
  Executor(std::shared_ptr<const config::ResourceSet> resources, config::RuntimeConfig runtime,
           Clock& clock, ExecutorDeps deps = {});

  // Runs the envelope's target within runtime.task_timeout_secs; returns its result JSON.
  // Sets *permanent when retrying cannot help: the target kind cannot run in this build, the
  // resource is invalid, a key is missing or refused (kInvalidArgument, kUnauthenticated).
  // An unknown target name is retryable (a rolling config update may be in flight), so it
  // dead-letters after the retries; so are an LLM's rate limits and outages (llm.h).
  Result<nlohmann::json> execute(const event::Envelope& envelope, const ExecutionContext& context,
                                 bool* permanent) const;

 private:
  // What the agent runs of one execution share.
  struct Execution {
    const event::Envelope& envelope;
    const ExecutionContext& context;
    agent::ToolJournal* journal = nullptr;            // tool calls' effect-once; null = none
    const flow::RunContext* run_context = nullptr;  // a flow's spec.context for the agents'
                                                    // command tools; null = none
  };

  Result<nlohmann::json> run_agent_flow(const Execution& execution, bool* permanent) const;
  // One agent by name on `text` (an Agent target, or a flow's Agent node) for the event's
  // conversation.
  Result<nlohmann::json> run_named_agent(const std::string& name, const std::string& text,
                                         TimePoint deadline, const Execution& execution,
                                         bool* permanent) const;
  // An agent that is not loaded by name (a fleet member, a flow's inline agent), without
  // conversation memory. It shares a loaded agent's tools when it is that agent (same name,
  // tools and MCP servers); otherwise its tools are built for this run.
  Result<nlohmann::json> run_agent_definition(const config::Agent& agent, const std::string& text,
                                              TimePoint deadline,
                                              const Execution& execution) const;
  // One fleet by name on `text` (a Fleet target, or a flow's Fleet node).
  Result<nlohmann::json> run_named_fleet(const std::string& name, const std::string& text,
                                         TimePoint deadline, const Execution& execution) const;
  // An AgentRun for `execution` (its event, cancellation, journal and context).
  agent::AgentRun agent_run(const std::string& text, TimePoint deadline,
                            const Execution& execution) const;

  std::shared_ptr<const config::ResourceSet> resources_;
  config::RuntimeConfig runtime_;
  Clock& clock_;
  ToolsFactory tools_for_agent_;                       // kept: the tools may use what it holds
  std::map<std::string, tools::ToolSet> agent_tools_;  // by agent name; immutable after build
  llm::LlmDeps llm_deps_;
  std::shared_ptr<const agent::ConversationMemory> memory_;  // null without a state store
  std::shared_ptr<queue::StateStore> state_;  // checkpoints, tool journals; may be null
  std::shared_ptr<approval::Approvals> approvals_;            // may be null
  std::function<Result<nlohmann::json>(const ChatMessage&)> send_message_;
};

}  // namespace aof::runtime
