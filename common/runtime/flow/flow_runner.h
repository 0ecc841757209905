#pragma once
// Runs an AgentFlow (reference/aof-formats.md §6) for one event: graph walk from `start`,
// templates (${...}, DESIGN §7), conditions, and the nodes (Script, Transform, Conditional,
// Wait, End, Parallel, Join; Agent, Fleet, HTTP, Slack, Discord and Approval through the
// options' services). With checkpoints (flow/checkpoints.h) a run of the same event resumes
// after its last finished node; an Approval node (or a Slack node with waitForReaction) that
// is not decided yet pauses the run. Blocking; thread-safe (no process-wide state is touched:
// env and working directory are applied to child processes only).

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/base/http_client.h"
#include "common/base/result.h"
#include "common/config/resources.h"

namespace aof::runtime {

namespace flow {
class FlowCheckpoints;
}

// What an Approval node asks for (its config, expanded). The service answers with the
// decision's output once someone decided — {status: "approved" | "denied" | "timeout",
// approved, by, reaction, node_id} — or, the first time, asks (posts the message, records the
// pending approval) and answers {status: "waiting_approval", node_id}: the run pauses there.
struct ApprovalRequest {
  std::string node_id;
  std::string message;                 // config.message, expanded
  std::string channel;                 // config.channel, expanded; "" = the event's conversation
  std::vector<std::string> approvers;  // config.approvers; empty = the platform's allow-list
  Millis timeout{3600000};             // config.timeoutSeconds; then the approval is denied
};

// A message posted to a chat platform (Slack and Discord nodes; approval requests).
struct ChatMessage {
  std::string platform;  // "slack" or "discord"
  std::string channel;   // Slack: channel id or #name; Discord: channel id
  std::string text;
  std::string thread;     // Slack: thread_ts; Discord: id of the message replied to; "" = none
  nlohmann::json blocks;  // Slack Block Kit blocks; null = none (Discord: not sent)
};

struct FlowRunOptions {
  TimePoint deadline = TimePoint::max();  // the whole run; a node past it fails with kTimeout
  const std::atomic<bool>* cancelled = nullptr;  // set → stop between nodes / kill scripts
  std::string run_id;                            // for logs and the result (usually the event id)
  std::size_t max_output_bytes = 1u << 20;       // per Script stdout/stderr capture
  // Agent nodes: runs the named agent on `input` by `deadline`, returning the agent
  // runtime's result JSON ({output, iterations, usage}); empty = Agent nodes fail.
  std::function<Result<nlohmann::json>(const std::string& agent, const std::string& input,
                                       TimePoint deadline)>
      run_agent;
  const HttpClient* http = nullptr;  // HTTP nodes' requests; null = HTTP nodes fail
  // Approval nodes (approval/approvals.h); empty = Approval nodes fail.
  std::function<Result<nlohmann::json>(const ApprovalRequest&)> approval;
  flow::FlowCheckpoints* checkpoints = nullptr;  // null = every run starts afresh
  // Agent nodes whose agent the flow itself defines (`inline`, `agentConfig`): runs that
  // definition like run_agent; empty = such nodes fail.
  std::function<Result<nlohmann::json>(const config::Agent& agent, const std::string& input,
                                       TimePoint deadline)>
      run_agent_definition = nullptr;
  // Fleet nodes: runs the named AgentFleet on `input` by `deadline`; its result JSON
  // (fleet/fleet_runner.h); empty = Fleet nodes fail.
  std::function<Result<nlohmann::json>(const std::string& fleet, const std::string& input,
                                       TimePoint deadline)>
      run_fleet = nullptr;
  // Slack and Discord nodes: posts the message; returns {"channel", "ts"} (Slack's ts,
  // Discord's message id); empty = those nodes fail.
  std::function<Result<nlohmann::json>(const ChatMessage&)> send_message = nullptr;
};

// The run's result, as AOF's final state: {run_id, flow_name, status: "completed",
// node_results: {id: output}, skipped: [ids whose conditions failed, in order],
// variables: {names exported by Transform nodes}, output: <the last finished node's output,
// in execution order, End nodes excepted; null if none ran>}. A run paused by an Approval
// node ends after its wave with status "waiting_approval" and "waiting": <the node's id>
// (the node is not among node_results: it has not finished).
// The walk (reference §6.1, made sane): entry nodes are the targets of `start` connections
// (else the first node); after a node finishes, its connections whose `when` is empty or true
// schedule their targets for the next wave; every node runs at most once per run however
// often it is reached (so cycles end); a node whose `conditions` fail is skipped with its
// successors; an End node ends the run (after its wave); the first error ends it too. The
// nodes of a wave run at once, each on a copy of the variables, merged back in wave order
// (AOF ran them one by one); a Join is scheduled only once its `strategy` (all | any |
// majority of its incoming branches) is met. Templates: flow/template.h; conditions: flow/condition.h; Script:
// flow/script_node.h; the other nodes: flow/nodes.h.
// Errors: kInvalidArgument (a node type this build cannot run, a bad template/regex:
// permanent), kTimeout (deadline or a script's own timeout: retryable), kInternal (a Script
// that failed with fail_on_error: retryable), kUnavailable (cancelled: retryable) — each
// message names the node id.
Result<nlohmann::json> run_flow(const config::AgentFlow& flow, const nlohmann::json& trigger_data,
                                const FlowRunOptions& options);

}  // namespace aof::runtime
