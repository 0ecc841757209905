#pragma once
// The tool-calling loop (reference/aof-formats.md §4.3) as a function over an LlmClient and
// a ToolSet: ask the model, run the tools it asks for, give it their results, until it
// answers. No process state: earlier turns of the conversation come in as options.history
// (agent memory, memory.h) and this run's turns go out as ToolLoopResult::transcript.
// Blocking; thread-safe when the client and the tools are.

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/runtime/agent/tool_calls.h"
#include "common/runtime/llm/llm.h"
#include "common/runtime/tools/tool.h"

namespace aof::runtime::agent {

struct ToolLoopOptions {
  std::string system_prompt;                     // the agent's instructions; "" = none
  int max_iterations = 10;                       // model calls at most (AOF's default)
  std::optional<double> temperature = 0.7;       // AOF's default; always sent
  std::optional<int> max_tokens;                 // per model call; unset = the provider's
  TimePoint deadline = TimePoint::max();         // checked before every model call
  const std::atomic<bool>* cancelled = nullptr;  // set → stop before the next model call
  const Clock* clock = &SystemClock::instance();
  std::filesystem::path run_dir;      // the tools' scratch directory (tools::ToolCallContext)
  std::string event_id;               // for logs and the tools' context
  std::map<std::string, std::string> tool_env;  // a flow's context (tools::ToolCallContext)
  std::filesystem::path tool_working_dir;       // the same; "" = the run directory
  int max_parallel_tools = 10;        // tool calls of one turn running at once (AOF's 10)
  std::vector<llm::Message> history;  // earlier turns, oldest first, starting with a user
                                      // message (memory.h last_turns); empty = none
  CallJournal journal;                // effect-once for the tool calls (tool_journal.h);
                                      // default: none
};

struct ToolLoopResult {
  std::string output;                    // the model's final text
  int iterations = 0;                    // model calls made
  llm::Usage usage;                      // tokens over all calls
  std::vector<std::string> tool_calls;   // names of the tools called, in call order
  bool changed_something = false;        // some call may have had an outside effect
  std::vector<llm::Message> transcript;  // this run's messages: the user input, each
                                         // assistant turn, the tool results, the answer

  // {"output", "iterations", "usage": {"input_tokens", "output_tokens"}, "tool_calls"}
  nlohmann::json to_json() const;
};

// Runs the conversation that starts with the user message `input`. The model is offered
// every tool's spec; the calls of one turn run concurrently (tool_calls.h); a tool's failure
// goes back to the model as text (tools::to_model_text), not as an error of the run. The
// answer is the text of the first turn that asks for no tools (end_turn, max_tokens,
// stop_sequence).
// Errors: the model call's own (llm.h; retryable or not as it says), prefixed "iteration N";
// kInvalidArgument (permanent) "exceeded max_iterations (N)", a turn the provider withheld
// (content filter), or a model asking for tools when the agent has none; kTimeout when the
// deadline has passed and kUnavailable when cancelled, both before a model call (retryable:
// the event runs again later); the tool journal's (retryable), prefixed "iteration N".
Result<ToolLoopResult> run_tool_loop(const llm::LlmClient& client, const tools::ToolSet& tools,
                                     const std::string& input, const ToolLoopOptions& options);

}  // namespace aof::runtime::agent
