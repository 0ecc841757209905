#pragma once
// The Approval node (reference §6.3, made to resume), and a Slack node with
// `waitForReaction: true` (the same wait, its message posted to its Slack `channel`):
// `message` and `channel` expanded,
// `approvers` and `timeoutSeconds` (default 1 h) handed to FlowRunOptions.approval, which
// asks once and later answers with the decision (flow_runner.h ApprovalRequest). On a
// decision, `<id>.result` is whether it was approved and `<id>.reaction` the Slack reaction
// that decided it, so AOF's `conditions: [{from: <id>, value: true}]` and
// `{from: <id>, reaction: white_check_mark}` pick the branch. Without the service the node
// fails permanently, saying so.

#include <nlohmann/json.hpp>

#include "common/base/result.h"
#include "common/runtime/flow/nodes.h"

namespace aof::runtime::flow {

Result<nlohmann::json> run_approval_node(const NodeRun& run);

// Whether `node` waits for a decision (Approval, or Slack with waitForReaction): its
// {status: "waiting_approval"} output pauses the run.
bool waits_for_decision(const config::FlowNode& node);

}  // namespace aof::runtime::flow
