#include "common/runtime/flow/flow_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <set>
#include <vector>

#include "common/base/log.h"
#include "common/runtime/flow/condition.h"
#include "common/runtime/flow/flow_state.h"
#include "common/runtime/flow/graph.h"
#include "common/runtime/flow/nodes.h"
#include "common/runtime/flow/template.h"

namespace aof::runtime {
namespace {

using Json = nlohmann::json;
using config::FlowNode;
using flow::FlowState;
using Wave = std::vector<const FlowNode*>;

std::string quoted(const std::string& id) { return "node \"" + id + "\""; }

// One run of one flow: the walk of reference §6.1 with each node run at most once.
class FlowRun {
 public:
  FlowRun(const config::AgentFlow& flow, const Json& trigger_data, const FlowRunOptions& options)
      : flow_(flow), options_(options), graph_(flow), state_(trigger_data) {}

  Result<Json> run() {
    Wave wave = graph_.entry_nodes();
    while (!wave.empty() && !ended_) {
      auto next = run_wave(wave);
      if (!next.ok()) return next.error();
      wave = std::move(*next);
    }
    return result();
  }

 private:
  // Runs a wave's nodes in order and returns the next wave. Sequential in this build; the
  // shape (a wave in, the next out) is where parallel branches will go.
  Result<Wave> run_wave(const Wave& wave) {
    Wave next;
    for (const FlowNode* node : wave) {
      if (ended_) break;
      if (auto s = check_time(*node); !s.ok()) return s.error();
      visited_.insert(node->id);
      if (!conditions_hold(*node)) {
        log().debug("run {} {} skipped: conditions not met", options_.run_id, quoted(node->id));
        skipped_.push_back(node->id);
        continue;
      }
      auto output = run_one(*node);
      if (!output.ok()) return output.error();
      if (node->type == config::NodeType::kEnd) ended_ = true;
      if (auto s = schedule_successors(*node, &next); !s.ok()) return s.error();
    }
    return next;
  }

  Result<Json> run_one(const FlowNode& node) {
    log().debug("run {} {} started", options_.run_id, quoted(node.id));
    auto output =
        flow::run_node({node, flow_, state_, options_, node_deadline(node), finished_.size()});
    if (!output.ok()) return output;
    log().debug("run {} {} finished", options_.run_id, quoted(node.id));
    state_.set_node_output(node.id, *output);
    node_results_[node.id] = *output;
    finished_.push_back(node.id);
    // End is a marker with an empty output; the flow's result is what came before it.
    if (node.type != config::NodeType::kEnd) last_output_ = *output;
    return output;
  }

  Status check_time(const FlowNode& node) const {
    if (options_.cancelled != nullptr && options_.cancelled->load()) {
      return Error(ErrorCode::kUnavailable, "cancelled before " + quoted(node.id));
    }
    if (std::chrono::system_clock::now() >= options_.deadline) {
      return Error(ErrorCode::kTimeout, "deadline passed before " + quoted(node.id));
    }
    return ok_status();
  }

  // The run's deadline, or sooner when the node sets config.timeoutSeconds.
  TimePoint node_deadline(const FlowNode& node) const {
    const auto& seconds = node.config.timeout_seconds;
    if (!seconds || *seconds <= 0) return options_.deadline;
    return std::min(options_.deadline,
                    std::chrono::system_clock::now() + std::chrono::seconds(*seconds));
  }

  // AOF: each condition's `<from>.result` must equal `value` and `<from>.reaction` equal
  // `reaction`; a variable not set (yet) counts as satisfied. A string value also matches
  // the result's text, so `value: "true"` works like `value: true`.
  bool conditions_hold(const FlowNode& node) const {
    const auto matches = [](const Json* actual, const Json& wanted) {
      if (actual == nullptr || *actual == wanted) return true;
      return wanted.is_string() && actual->dump() == wanted.get<std::string>();
    };
    return std::all_of(node.conditions.begin(), node.conditions.end(), [&](const auto& c) {
      return (!c.value || matches(state_.lookup(c.from + ".result"), *c.value)) &&
             (!c.reaction || matches(state_.lookup(c.from + ".reaction"), Json(*c.reaction)));
    });
  }

  Status schedule_successors(const FlowNode& node, Wave* next) {
    if (ended_) return ok_status();
    for (const config::Connection* connection : graph_.outgoing(node.id)) {
      const FlowNode* target = graph_.node(connection->to);
      if (visited_.contains(target->id) ||
          std::find(next->begin(), next->end(), target) != next->end()) {
        continue;  // runs once per run, even when reached again or through a cycle
      }
      auto take = when_holds(*connection);
      if (!take.ok()) return take.error();
      if (*take) next->push_back(target);
    }
    return ok_status();
  }

  Result<bool> when_holds(const config::Connection& connection) const {
    if (connection.when.empty()) return true;
    auto value = flow::evaluate_condition(connection.when, [&](std::string_view operand) {
      return flow::expand_template(operand, state_);
    });
    const std::string where = "connection " + connection.from + " -> " + connection.to;
    if (!value.ok()) return value.error().with_context(where + " when");
    if (!value->diagnostic.empty()) {
      log().warn("run {} {}: when \"{}\": {}", options_.run_id, where, connection.when,
                 value->diagnostic);
    }
    return value->value;
  }

  Json result() const {
    return Json{{"run_id", options_.run_id}, {"flow_name", flow_.name},
                {"status", "completed"},     {"node_results", node_results_},
                {"skipped", skipped_},       {"variables", Json(state_.exports())},
                {"output", last_output_}};
  }

  static spdlog::logger& log() { return *aof::log::get(aof::log::Component::kRuntime); }

  const config::AgentFlow& flow_;
  const FlowRunOptions& options_;
  flow::FlowGraph graph_;
  FlowState state_;
  std::set<std::string, std::less<>> visited_;  // ran, or skipped by their conditions
  std::vector<std::string> finished_;           // in execution order
  Json node_results_ = Json::object();
  Json skipped_ = Json::array();
  Json last_output_;
  bool ended_ = false;  // an End node finished
};

}  // namespace

Result<nlohmann::json> run_flow(const config::AgentFlow& flow, const nlohmann::json& trigger_data,
                                const FlowRunOptions& options) {
  try {
    return FlowRun(flow, trigger_data, options).run();
  } catch (const std::exception& e) {
    // Nothing below should throw (JSON and regex errors are caught where they arise); this
    // keeps a missed case from taking down a worker thread.
    return Error(ErrorCode::kInternal, "flow \"" + flow.name + "\": unexpected: " + e.what());
  }
}

}  // namespace aof::runtime
