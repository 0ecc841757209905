#include "common/runtime/agent/tool_loop.h"

#include <spdlog/spdlog.h>

#include "common/base/log.h"
#include "common/runtime/agent/tool_calls.h"

namespace aof::runtime::agent {
namespace {

// Why the loop may not make its next model call, if it may not.
std::optional<Error> stopped(const ToolLoopOptions& options, int iteration) {
  const std::string before = " before iteration " + std::to_string(iteration);
  if (options.cancelled != nullptr && options.cancelled->load()) {
    return Error(ErrorCode::kUnavailable, "cancelled" + before + " (the worker is draining)");
  }
  if (options.clock->now() >= options.deadline) {
    return Error(ErrorCode::kTimeout, "the run's deadline passed" + before);
  }
  return std::nullopt;
}

llm::ChatRequest first_request(const tools::ToolSet& tools, const std::string& input,
                               const ToolLoopOptions& options) {
  llm::ChatRequest request;
  request.system = options.system_prompt;
  request.messages = options.history;
  request.messages.push_back(llm::Message::user(input));
  for (const auto& tool : tools) {
    if (tool) request.tools.push_back(tool->spec());
  }
  request.temperature = options.temperature;
  request.max_tokens = options.max_tokens;
  request.deadline = options.deadline;
  return request;
}

tools::ToolCallContext tool_context(const ToolLoopOptions& options) {
  tools::ToolCallContext context;
  context.run_dir = options.run_dir;
  context.deadline = options.deadline;
  context.cancelled = options.cancelled;
  context.event_id = options.event_id;
  context.env = options.tool_env;
  context.working_dir = options.tool_working_dir;
  return context;
}

// Runs the turn's calls, appends their results to the conversation and records them.
Status answer_calls(const std::vector<llm::ToolCall>& calls, const tools::ToolSet& tools,
                    const ToolLoopOptions& options, llm::ChatRequest& request,
                    ToolLoopResult& result) {
  auto outcomes = run_tool_calls(calls, tools, tool_context(options), options.max_parallel_tools,
                                 options.journal);
  if (!outcomes.ok()) return outcomes.error();
  for (std::size_t i = 0; i < outcomes->size(); ++i) {
    result.tool_calls.push_back(calls[i].name);
    result.changed_something = result.changed_something || (*outcomes)[i].result.changed_something;
    request.messages.push_back(std::move((*outcomes)[i].message));
  }
  return ok_status();
}

// This run's messages (after the restored history) and the final answer.
void finish_transcript(const llm::ChatRequest& request, std::size_t history,
                       ToolLoopResult& result) {
  result.transcript.assign(request.messages.begin() + static_cast<std::ptrdiff_t>(history),
                           request.messages.end());
  result.transcript.push_back(llm::Message::assistant(result.output, {}));
}

}  // namespace

nlohmann::json ToolLoopResult::to_json() const {
  return {{"output", output},
          {"iterations", iterations},
          {"usage", {{"input_tokens", usage.input_tokens}, {"output_tokens", usage.output_tokens}}},
          {"tool_calls", tool_calls}};
}

Result<ToolLoopResult> run_tool_loop(const llm::LlmClient& client, const tools::ToolSet& tools,
                                     const std::string& input, const ToolLoopOptions& options) {
  auto log = log::get(log::Component::kRuntime);
  llm::ChatRequest request = first_request(tools, input, options);
  ToolLoopResult result;
  for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
    if (auto reason = stopped(options, iteration)) return *reason;
    auto turn = client.chat(request);
    if (!turn.ok()) return turn.error().with_context("iteration " + std::to_string(iteration));
    result.iterations = iteration;
    result.usage += turn->usage;
    log->debug("event_id={} iteration {}: {} with {} tool calls", options.event_id, iteration,
               llm::to_string(turn->stop_reason), turn->tool_calls.size());
    if (turn->stop_reason == llm::StopReason::kContentFilter) {
      return Error(ErrorCode::kInvalidArgument, "iteration " + std::to_string(iteration) +
                                                    ": the provider withheld the answer "
                                                    "(content filter)");
    }
    if (turn->tool_calls.empty()) {
      result.output = std::move(turn->text);
      finish_transcript(request, options.history.size(), result);
      return result;
    }
    if (request.tools.empty()) {
      return Error(ErrorCode::kInvalidArgument,
                   "iteration " + std::to_string(iteration) + ": the model asked for tool \"" +
                       turn->tool_calls.front().name + "\" but this agent has no tools");
    }
    request.messages.push_back(llm::Message::assistant(turn->text, turn->tool_calls));
    if (auto answered = answer_calls(turn->tool_calls, tools, options, request, result);
        !answered.ok()) {
      return answered.error().with_context("iteration " + std::to_string(iteration));
    }
  }
  return Error(ErrorCode::kInvalidArgument,
               "exceeded max_iterations (" + std::to_string(options.max_iterations) + ")");
}

}  // namespace aof::runtime::agent
