#include "common/runtime/flow/flow_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <future>
#include <set>
#include <thread>
#include <vector>

#include "common/base/log.h"
#include "common/runtime/flow/approval_node.h"
#include "common/runtime/flow/checkpoints.h"
#include "common/runtime/flow/condition.h"
#include "common/runtime/flow/duration.h"
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

// spec.context as `${context.*}` sees it: the values as written, in AOF's camelCase names.
Json context_variable(const config::FlowContext& context) {
  return Json{{"kubeconfig", context.kubeconfig},
              {"namespace", context.namespace_},
              {"cluster", context.cluster},
              {"workingDir", context.working_dir},
              {"env", context.env}};
}

constexpr const char* kWaitingApproval = "waiting_approval";

// An Approval node (or a Slack node waiting for a reaction) that asked and now waits: the
// run pauses after this wave.
bool waits_for_approval(const FlowNode& node, const Json& output) {
  return flow::waits_for_decision(node) && output.is_object() &&
         output.value("status", "") == kWaitingApproval;
}

// One run of one flow: the walk of reference §6.1 with each node run at most once.
class FlowRun {
 public:
  FlowRun(const config::AgentFlow& flow, const Json& trigger_data, const FlowRunOptions& options)
      : flow_(flow), options_(options), graph_(flow), state_(trigger_data) {
    if (flow.context) state_.set_context(context_variable(*flow.context));
  }

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
  // Runs a wave and returns the next. The wave's nodes run at once (each on a copy of the
  // variables when there are several, so no node sees another's half-done writes); their
  // outputs and writes are then taken in wave order, so the result does not depend on which
  // finished first. The first error in wave order fails the run.
  Result<Wave> run_wave(const Wave& wave) {
    Wave runnable;
    for (const FlowNode* node : wave) {
      if (auto s = check_time(*node); !s.ok()) return s.error();
      visited_.insert(node->id);
      if (!conditions_hold(*node)) {
        log().debug("run {} {} skipped: conditions not met", options_.run_id, quoted(node->id));
        skipped_.push_back(node->id);
        continue;
      }
      runnable.push_back(node);
    }
    if (runnable.size() == 1) return finish_wave(runnable, {run_one(*runnable[0], state_)}, {});
    std::vector<FlowState> copies(runnable.size(), state_);
    std::vector<std::future<Result<Json>>> running;
    for (std::size_t i = 0; i < runnable.size(); ++i) {
      running.push_back(std::async(std::launch::async, [this, &runnable, &copies, i] {
        return run_one(*runnable[i], copies[i]);
      }));
    }
    std::vector<Result<Json>> outputs;
    for (auto& r : running) outputs.push_back(r.get());
    return finish_wave(runnable, std::move(outputs), copies);
  }

  Result<Wave> finish_wave(const Wave& ran, std::vector<Result<Json>> outputs,
                           const std::vector<FlowState>& copies) {
    Wave next;
    Wave finished;
    for (std::size_t i = 0; i < ran.size(); ++i) {
      if (!outputs[i].ok()) return outputs[i].error();
      if (waits_for_approval(*ran[i], *outputs[i])) {
        waiting_.push_back(ran[i]->id);  // not finished: a resume runs it again
        continue;
      }
      if (!copies.empty()) state_.merge_writes(copies[i]);
      record(*ran[i], std::move(*outputs[i]));
      finished.push_back(ran[i]);
    }
    if (!waiting_.empty()) ended_ = true;  // the other branches' successors wait too
    for (const FlowNode* node : finished) {
      if (node->type == config::NodeType::kEnd) ended_ = true;
    }
    for (const FlowNode* node : finished) {
      if (auto s = schedule_successors(*node, &next); !s.ok()) return s.error();
    }
    return next;
  }

  // Runs one node against `state` (the run's, or a copy for a node of a wide wave), or takes
  // its checkpoint when an earlier run of this event finished it.
  Result<Json> run_one(const FlowNode& node, FlowState& state) const {
    state.clear_writes();
    if (options_.checkpoints != nullptr) {
      auto recorded = options_.checkpoints->find(node.id);
      if (!recorded.ok()) return recorded.error().with_context("checkpoint of " + quoted(node.id));
      if (*recorded) {
        log().debug("run {} {} finished earlier: its checkpoint is used", options_.run_id,
                    quoted(node.id));
        state.apply_writes((*recorded)->writes);
        return std::move((*recorded)->output);
      }
    }
    log().debug("run {} {} started", options_.run_id, quoted(node.id));
    auto output = run_attempts(node, state);
    if (!output.ok()) return output;
    log().debug("run {} {} finished", options_.run_id, quoted(node.id));
    if (options_.checkpoints != nullptr && !waits_for_approval(node, *output)) {
      options_.checkpoints->record(node.id, {*output, state.writes()});
    }
    return output;
  }

  // spec.config.retry: a node that failed retryably runs again after a backoff, within the
  // run's deadline; its variable writes of a failed attempt are dropped.
  Result<Json> run_attempts(const FlowNode& node, FlowState& state) const {
    const auto& retry = flow_.settings;
    if (retry.retry_max_attempts <= 1) {
      return flow::run_node({node, flow_, state, options_, node_deadline(node), finished_.size()});
    }
    const auto initial = flow::parse_duration(retry.retry_initial_delay);  // checked at load
    Millis delay = initial.ok() ? *initial : Millis(1000);
    for (int attempt = 1;; ++attempt) {
      FlowState before = state;
      auto output =
          flow::run_node({node, flow_, state, options_, node_deadline(node), finished_.size()});
      if (output.ok() || attempt >= retry.retry_max_attempts ||
          !is_retryable(output.error().code()) || !sleep_before_retry(delay)) {
        return output;
      }
      log().info("run {} {} failed (attempt {} of {}), retrying in {} ms: {}", options_.run_id,
                 quoted(node.id), attempt, retry.retry_max_attempts, delay.count(),
                 output.error().message());
      state = std::move(before);
      delay = Millis(static_cast<long long>(delay.count() * retry.retry_backoff_multiplier));
    }
  }

  // Waits `delay` in slices; false when cancelled or when the wait would pass the deadline.
  bool sleep_before_retry(Millis delay) const {
    const auto until = std::chrono::system_clock::now() + delay;
    if (until >= options_.deadline) return false;
    while (std::chrono::system_clock::now() < until) {
      if (options_.cancelled != nullptr && options_.cancelled->load()) return false;
      std::this_thread::sleep_for(std::min<std::chrono::system_clock::duration>(
          until - std::chrono::system_clock::now(), Millis(20)));
    }
    return true;
  }

  void record(const FlowNode& node, Json output) {
    state_.set_node_output(node.id, output);
    node_results_[node.id] = output;
    finished_.push_back(node.id);
    // End is a marker with an empty output; the flow's result is what came before it.
    if (node.type != config::NodeType::kEnd) last_output_ = std::move(output);
  }

  // A Join waits for its branches (reference §1.3 `strategy`, which AOF never applied): all
  // (default) — every incoming branch finished or was skipped; any — one finished;
  // majority — more than half finished. Until then it is not scheduled; the branch that
  // completes it schedules it.
  bool join_ready(const FlowNode& join) const {
    const auto& incoming = graph_.incoming(join.id);
    std::size_t finished = 0, arrived = 0;
    for (const config::Connection* c : incoming) {
      const bool done = std::find(finished_.begin(), finished_.end(), c->from) != finished_.end();
      finished += done ? 1 : 0;
      arrived += (done || visited_.contains(c->from)) ? 1 : 0;
    }
    const std::string& strategy = join.config.strategy;
    if (strategy == "any") return finished >= 1;
    if (strategy == "majority") return finished * 2 > incoming.size();
    return arrived == incoming.size();
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

  // The run's deadline, or sooner when the node sets config.timeoutSeconds (else the flow's
  // spec.config.defaultTimeoutSeconds). An Approval's timeoutSeconds is how long it waits for
  // a decision, not a bound on its own step.
  TimePoint node_deadline(const FlowNode& node) const {
    const bool approval = flow::waits_for_decision(node);
    const auto& seconds = node.config.timeout_seconds && !approval
                              ? node.config.timeout_seconds
                              : flow_.settings.default_timeout_seconds;
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
      if (*take && (target->type != config::NodeType::kJoin || join_ready(*target))) {
        next->push_back(target);
      }
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
    Json out{{"run_id", options_.run_id}, {"flow_name", flow_.name},
             {"status", waiting_.empty() ? "completed" : kWaitingApproval},
             {"node_results", node_results_}, {"skipped", skipped_},
             {"variables", Json(state_.exports())}, {"output", last_output_}};
    if (!waiting_.empty()) out["waiting"] = waiting_.front();
    return out;
  }

  static spdlog::logger& log() { return *aof::log::get(aof::log::Component::kRuntime); }

  const config::AgentFlow& flow_;
  const FlowRunOptions& options_;
  flow::FlowGraph graph_;
  FlowState state_;
  std::set<std::string, std::less<>> visited_;  // ran, or skipped by their conditions
  std::vector<std::string> finished_;           // in execution order
  std::vector<std::string> waiting_;            // Approval nodes that paused the run
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
