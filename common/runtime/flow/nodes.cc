#include "common/runtime/flow/nodes.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <string>
#include <thread>

#include "common/base/log.h"
#include "common/runtime/flow/approval_node.h"
#include "common/runtime/flow/condition.h"
#include "common/runtime/flow/duration.h"
#include "common/runtime/flow/message_nodes.h"
#include "common/runtime/flow/native_tools.h"
#include "common/runtime/flow/script_node.h"
#include "common/runtime/flow/service_nodes.h"
#include "common/runtime/flow/template.h"

namespace aof::runtime::flow {
namespace {

using Json = nlohmann::json;
using config::NodeType;

constexpr Millis kWaitSlice{20};

std::string trim(std::string_view text, std::string_view chars = " \t\r\n") {
  const auto begin = text.find_first_not_of(chars);
  if (begin == std::string_view::npos) return "";
  return std::string(text.substr(begin, text.find_last_not_of(chars) + 1 - begin));
}

// Why this build cannot run the node at all, or nullopt.
std::optional<std::string> cannot_run(const config::FlowNode& node) {
  switch (node.type) {
    case NodeType::kDiscord:
      if (!node.config.wait_for_reaction) return std::nullopt;
      return "waitForReaction: Discord does not send reactions to webhooks; use an Approval "
             "node (its request can go to Slack, and `aof flow approve` decides it anywhere)";
    case NodeType::kScript: {
      const auto& script = node.config.script_config;
      if (!script || (script->command.empty() == script->tool.empty())) {
        return "scriptConfig needs a command or a tool (one of them)";
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

Result<Json> run_transform(const NodeRun& run) {
  // Lines are split before expansion, so an inserted value containing newlines stays one
  // value and cannot add `export` lines of its own (AOF expands first).
  std::string_view script = run.node.config.script;
  while (!script.empty()) {
    const auto newline = script.find('\n');
    const std::string line = trim(script.substr(0, newline));
    script.remove_prefix(newline == std::string_view::npos ? script.size() : newline + 1);
    if (!line.starts_with("export ")) continue;
    const auto assignment = std::string_view(line).substr(7);
    const auto equals = assignment.find('=');
    if (equals == std::string_view::npos) continue;
    auto name = expand_template(trim(assignment.substr(0, equals)), run.state);
    auto value = expand_template(assignment.substr(equals + 1), run.state);
    if (!name.ok()) return name.error().with_context("script");
    if (!value.ok()) return value.error().with_context("script");
    run.state.set_export(trim(*name), trim(trim(*value), "\"'"));
  }
  return Json{{"script_executed", true}};
}

Result<Json> run_conditional(const NodeRun& run) {
  auto result = evaluate_condition(run.node.config.condition, [&](std::string_view operand) {
    return expand_template(operand, run.state);
  });
  if (!result.ok()) return result.error().with_context("condition");
  if (!result->diagnostic.empty()) {
    log::get(log::Component::kRuntime)
        ->warn("run {} node {}: condition \"{}\": {}", run.options.run_id, run.node.id,
               run.node.config.condition, result->diagnostic);
  }
  run.state.set_result(run.node.id, result->value);
  return Json{{"condition_result", result->value}};
}

bool cancelled(const NodeRun& run) {
  return run.options.cancelled != nullptr && run.options.cancelled->load();
}

Result<Json> run_wait(const NodeRun& run) {
  const std::string text = run.node.config.duration.empty() ? "1s" : run.node.config.duration;
  const auto duration = parse_duration(text);
  if (!duration.ok()) return duration.error();
  const auto until = std::chrono::system_clock::now() + *duration;
  if (until > run.deadline) {
    return Error(ErrorCode::kTimeout, "waiting " + text + " would pass the deadline");
  }
  for (auto now = std::chrono::system_clock::now(); now < until;
       now = std::chrono::system_clock::now()) {
    if (cancelled(run)) return Error(ErrorCode::kUnavailable, "cancelled");
    std::this_thread::sleep_for(
        std::min<std::chrono::system_clock::duration>(until - now, kWaitSlice));
  }
  return Json{{"waited", text}};
}

Result<Json> run_supported(const NodeRun& run) {
  const auto& config = run.node.config;
  switch (run.node.type) {
    case NodeType::kScript:
      return config.script_config->tool.empty() ? run_script_node(run) : run_tool_node(run);
    case NodeType::kAgent:
      return run_agent_node(run);
    case NodeType::kHttp:
      return run_http_node(run);
    case NodeType::kApproval:
      return run_approval_node(run);
    case NodeType::kFleet:
      return run_fleet_node(run);
    case NodeType::kSlack:
      // waitForReaction: the message is an approval request, and the run waits for it.
      return run.node.config.wait_for_reaction ? run_approval_node(run) : run_message_node(run);
    case NodeType::kDiscord:
      return run_message_node(run);
    case NodeType::kTransform:
      return run_transform(run);
    case NodeType::kConditional:
      return run_conditional(run);
    case NodeType::kWait:
      return run_wait(run);
    case NodeType::kEnd:
      return Json::object();
    case NodeType::kParallel:
      return Json{{"branches", config.branches}};
    case NodeType::kJoin:
      return Json{{"joined", run.completed_nodes},
                  {"strategy", config.strategy.empty() ? "all" : config.strategy}};
    default:
      return Error(ErrorCode::kInternal, "no runner for this node type");
  }
}

}  // namespace

Result<Json> run_node(const NodeRun& run) {
  const std::string label =
      "node \"" + run.node.id + "\" (" + config::to_string(run.node.type) + ")";
  if (const auto reason = cannot_run(run.node)) {
    return Error(ErrorCode::kInvalidArgument, label + ": " + *reason);
  }
  auto output = run_supported(run);
  if (!output.ok()) return output.error().with_context(label + " failed");
  return output;
}

}  // namespace aof::runtime::flow
