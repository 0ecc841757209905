#pragma once
// Runs one AOF Agent (reference/aof-formats.md §1.1, §2.5, §4) for one event: the message
// cleaned, the provider picked from the agent's model, the tool loop (tool_loop.h) with the
// agent's tools in a fresh scratch directory. What the executor calls for an Agent target.
// Blocking; thread-safe.

#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
#include <string>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/config/resources.h"
#include "common/runtime/agent/memory.h"
#include "common/runtime/agent/tool_journal.h"
#include "common/runtime/llm/llm.h"
#include "common/runtime/tools/tool.h"

namespace aof::runtime::agent {

// The tools an agent gets (reference §4.4). Injected, so this library does not depend on the
// built-in tools; the binaries pass tools::tools_for_agent.
using ToolsFactory = std::function<tools::ToolSet(const config::Agent&)>;

struct AgentDeps {
  llm::LlmDeps llm;              // HTTP client, env, base URLs, clock, retry waits
  ToolsFactory tools_for_agent;  // empty = agents run without tools
};

struct AgentRun {
  std::string text;                              // the event's message text, as received
  std::string event_id;                          // for logs and the tools
  TimePoint deadline = TimePoint::max();         // the whole run
  const std::atomic<bool>* cancelled = nullptr;  // the worker is draining
  const ConversationMemory* memory = nullptr;    // null = the run remembers nothing
  std::string conversation_key;                  // memory.h conversation_key; "" = none
  ToolJournal* tool_journal = nullptr;           // effect-once for tool calls, shared by the
                                                 // execution's runs; null = not journaled
  // A flow's spec.context (flow/run_context.h) for the command tools: added to their
  // environment, and their working directory unless the model names one. Empty = none.
  std::map<std::string, std::string> tool_env;
  std::string tool_working_dir;
};

// Runs `agent` with `tools` (built when the agent was loaded; shared by concurrent runs, as
// Tool::call allows) on `run.text`, reaching its provider through `llm`.
// With run.memory and a conversation key (and max_context_messages > 0), the conversation's
// last max_context_messages stored messages come first and this run's turns are appended
// after the answer. A store that cannot be read fails the run (retryable: nothing happened
// yet, and an answer without its context would be wrong); a stored value that does not
// parse is a warning and the run starts afresh; a save that fails is a warning (the run's
// effects happened; retrying it would repeat them).
// With run.tool_journal, a tool call with an outside effect is made at most once per event
// generation: a redelivery gets its recorded result (tool_journal.h).
// The result JSON: {"output", "iterations", "usage": {"input_tokens", "output_tokens"},
// "tool_calls": [names]} (ToolLoopResult::to_json). An empty message or a bare greeting is
// answered without a model call ("iterations": 0), as AOF does.
// Errors: parse_model's and make_llm_client's (permanent: bad model string, unsupported
// provider, missing key), a scratch directory that cannot be made (kResourceExhausted), and
// run_tool_loop's; each message starts with "agent \"<name>\"".
Result<nlohmann::json> run_agent(const config::Agent& agent, const tools::ToolSet& tools,
                                 const AgentRun& run, const llm::LlmDeps& llm);

}  // namespace aof::runtime::agent
