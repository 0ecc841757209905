#include "common/runtime/flow/approval_node.h"

#include "common/runtime/flow/template.h"

namespace aof::runtime::flow {

namespace {
constexpr int kDefaultTimeoutSeconds = 3600;
}

bool waits_for_decision(const config::FlowNode& node) {
  return node.type == config::NodeType::kApproval ||
         (node.type == config::NodeType::kSlack && node.config.wait_for_reaction);
}

Result<nlohmann::json> run_approval_node(const NodeRun& run) {
  if (!run.options.approval) {
    return Error(ErrorCode::kInvalidArgument,
                 "Approval nodes need the broker's state store (run them in aof-work or aof "
                 "serve)");
  }
  const auto& config = run.node.config;
  ApprovalRequest request;
  request.node_id = run.node.id;
  auto message = expand_template(
      config.message.empty() ? "Approval needed for flow \"" + run.flow.name + "\", step \"" +
                                   run.node.id + "\"."
                             : config.message,
      run.state);
  if (!message.ok()) return message.error().with_context("message");
  request.message = std::move(*message);
  auto channel = expand_template(config.channel, run.state);
  if (!channel.ok()) return channel.error().with_context("channel");
  request.channel = std::move(*channel);
  request.approvers = config.approvers;
  request.timeout = std::chrono::seconds(config.timeout_seconds.value_or(kDefaultTimeoutSeconds));
  auto answer = run.options.approval(request);
  if (!answer.ok()) return answer.error();
  const std::string status = answer->value("status", "");
  if (status == "approved" || status == "denied" || status == "timeout") {
    run.state.set_result(run.node.id, answer->value("approved", false));
    const std::string reaction = answer->value("reaction", "");
    if (!reaction.empty()) run.state.set_export(run.node.id + ".reaction", reaction);
  }
  return answer;
}

}  // namespace aof::runtime::flow
