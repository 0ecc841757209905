#pragma once
// Running one node of a flow (reference §6.3): the dispatch on node type, and the nodes that
// need no process (Transform, Conditional, Wait, End, Parallel, Join). Script lives in
// script_node.h (command) and native_tools.h (tool), Agent, Fleet and HTTP in
// service_nodes.h, Slack and Discord in message_nodes.h. A node this build cannot run (a
// Discord node waiting for a reaction) fails permanently with a message saying why.
//   Transform   → for each line `export K=V` of `script`, variable K = V (surrounding spaces
//                 and quotes trimmed); lines are split before expansion, so an inserted value
//                 with newlines stays one value (AOF expands first). {script_executed: true}
//   Conditional → `<id>.result` = the condition (condition.h). {condition_result}
//   Wait        → sleeps `duration` (duration.h) in slices, honouring cancellation; a wait
//                 that would pass the deadline fails at once (kTimeout). {waited: "<text>"}
//   End → {} (the runner stops); Parallel → {branches}; Join (scheduled by the runner once
//   its strategy is met) → {joined: <nodes finished so
//   far>, strategy: <as written, default "all">}.
// A node's config.timeoutSeconds bounds its Script or Wait (AOF parses it and ignores it).

#include <nlohmann/json.hpp>

#include <cstddef>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/config/resources.h"
#include "common/runtime/flow/flow_runner.h"
#include "common/runtime/flow/flow_state.h"

namespace aof::runtime::flow {

// What a node needs to run. `state` is the run's, written by Transform and Conditional.
struct NodeRun {
  const config::FlowNode& node;
  const config::AgentFlow& flow;
  FlowState& state;
  const FlowRunOptions& options;
  TimePoint deadline;               // the run's deadline, or sooner with config.timeoutSeconds
  std::size_t completed_nodes = 0;  // nodes finished so far in this run (Join reports it)
};

// Runs the node and returns its output object. Errors name the node:
//   `node "summarize" (Agent): Agent nodes need ...` (cannot run in this build: permanent)
//   `node "build" (Script) failed: exit code 2: <stderr tail>` (it ran and failed).
Result<nlohmann::json> run_node(const NodeRun& run);

}  // namespace aof::runtime::flow
