#include "common/runtime/agent/tool_calls.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
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

// The journal key of each call with an outside effect ("" = not journaled).
std::vector<std::string> journal_keys(const std::vector<llm::ToolCall>& calls,
                                      const tools::ToolSet& tools, const CallJournal& journal) {
  std::vector<std::string> keys(calls.size());
  if (journal.journal == nullptr) return keys;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const tools::Tool* tool = find_tool(tools, calls[i].name);
    if (tool == nullptr || !calls[i].arguments.is_object()) continue;  // refused: no effect
    if (!tool->has_outside_effect(calls[i].arguments)) continue;
    keys[i] = journal.journal->next_key(journal.agent, calls[i].name, calls[i].arguments);
  }
  return keys;
}

// Runs `work(i)` for every index, on up to `max_parallel` threads (the caller's included).
void for_each_call(std::size_t count, int max_parallel,
                   const std::function<void(std::size_t)>& work) {
  if (count == 1) return work(0);
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) work(i);
  };
  const std::size_t threads = std::min(count, static_cast<std::size_t>(std::max(1, max_parallel)));
  std::vector<std::thread> helpers;  // the caller is the first of `threads` workers
  try {
    while (helpers.size() + 1 < threads) helpers.emplace_back(worker);
  } catch (const std::system_error&) {
    // No thread to be had: the calls still run, on fewer threads.
  }
  worker();
  for (auto& helper : helpers) helper.join();
}

}  // namespace

Result<std::vector<ToolCallOutcome>> run_tool_calls(const std::vector<llm::ToolCall>& calls,
                                                    const tools::ToolSet& tools,
                                                    const tools::ToolCallContext& context,
                                                    int max_parallel, const CallJournal& journal) {
  const std::vector<std::string> keys = journal_keys(calls, tools, journal);
  std::vector<Result<tools::ToolResult>> results(calls.size(), tools::ToolResult{});
  for_each_call(calls.size(), max_parallel, [&](std::size_t i) {
    const auto call = [&] { return call_one(calls[i], tools, context); };
    results[i] = keys[i].empty() ? call() : journal.journal->run_once(keys[i], calls[i].name, call);
  });
  std::vector<ToolCallOutcome> outcomes;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    if (!results[i].ok()) return results[i].error().with_context("tool " + calls[i].name);
    const bool failure = !results[i]->success;
    std::string text = tools::to_model_text(*results[i]);
    outcomes.push_back(
        {std::move(*results[i]), llm::Message::tool_result(calls[i], std::move(text), failure)});
  }
  return outcomes;
}

}  // namespace aof::runtime::agent
