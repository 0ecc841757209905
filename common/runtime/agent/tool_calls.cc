#include "common/runtime/agent/tool_calls.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <system_error>
#include <thread>

namespace aof::runtime::agent {
namespace {

const tools::Tool* find_tool(const tools::ToolSet& tools, const std::string& name) {
  for (const auto& tool : tools) {
    if (tool && tool->spec().name == name) return tool.get();
  }
  return nullptr;
}

std::string tool_names(const tools::ToolSet& tools) {
  std::string names;
  for (const auto& tool : tools) {
    if (!tool) continue;
    names += (names.empty() ? "" : ", ") + tool->spec().name;
  }
  return names;
}

tools::ToolResult failed(std::string error) {
  tools::ToolResult result;
  result.error = std::move(error);
  return result;
}

tools::ToolResult call_one(const llm::ToolCall& call, const tools::ToolSet& tools,
                           const tools::ToolCallContext& context) {
  const tools::Tool* tool = find_tool(tools, call.name);
  if (tool == nullptr) {
    return failed("unknown tool \"" + call.name + "\"; this agent has: " + tool_names(tools));
  }
  if (!call.arguments.is_object()) {
    const std::string text =
        call.arguments.is_string() ? call.arguments.get<std::string>() : call.arguments.dump();
    return failed("the arguments must be a JSON object; got: " + text.substr(0, 200));
  }
  try {  // the contract says a tool never throws; a thread must not die of one that does
    return tool->call(call.arguments, context);
  } catch (const std::exception& e) {
    return failed("the tool failed unexpectedly: " + std::string(e.what()));
  } catch (...) {
    return failed("the tool failed unexpectedly");
  }
}

}  // namespace

std::vector<ToolCallOutcome> run_tool_calls(const std::vector<llm::ToolCall>& calls,
                                            const tools::ToolSet& tools,
                                            const tools::ToolCallContext& context,
                                            int max_parallel) {
  std::vector<tools::ToolResult> results(calls.size());
  if (calls.size() == 1) {
    results[0] = call_one(calls[0], tools, context);
  } else if (!calls.empty()) {
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
      for (std::size_t i = next++; i < calls.size(); i = next++) {
        results[i] = call_one(calls[i], tools, context);
      }
    };
    const std::size_t threads =
        std::min(calls.size(), static_cast<std::size_t>(std::max(1, max_parallel)));
    std::vector<std::thread> helpers;  // the caller is the first of `threads` workers
    try {
      while (helpers.size() + 1 < threads) helpers.emplace_back(work);
    } catch (const std::system_error&) {
      // No thread to be had: the calls still run, on fewer threads.
    }
    work();
    for (auto& helper : helpers) helper.join();
  }
  std::vector<ToolCallOutcome> outcomes;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const bool failure = !results[i].success;
    std::string text = tools::to_model_text(results[i]);
    outcomes.push_back(
        {std::move(results[i]), llm::Message::tool_result(calls[i], std::move(text), failure)});
  }
  return outcomes;
}

}  // namespace aof::runtime::agent
