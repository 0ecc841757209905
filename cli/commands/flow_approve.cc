// aof flow approve RUN_ID [--node ID] [--deny] [--by NAME]: decides a flow paused by an
// Approval node (runtime/approval/approvals.h). It finds the run's pending approval (--node
// picks one when several wait), then queues a decision event; whichever worker takes it
// records the decision and resumes the flow. The operator's broker access is the authority:
// platforms.slack.approval_allowed_users bounds Slack reactions only.
#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>
#include <vector>

#include "cli/commands/broker_command.h"
#include "cli/commands/commands.h"
#include "common/runtime/approval/approval_job.h"
#include "sidecar/exit_codes.h"

namespace aof::cli {
namespace {

using runtime::approval::ApprovalId;
using runtime::approval::Approvals;

struct ApproveArgs {
  BrokerFlags broker;
  std::string run_id;
  std::optional<std::string> node;
  bool deny = false;
  std::string by;
};

// The approval to decide: --node's, else the run's only pending one, else (none pending) its
// last, so the answer can say who decided it. kNotFound when the run never asked;
// kInvalidArgument when several wait and --node is missing.
Result<Approvals::Read> find_approval(Approvals& approvals, const ApproveArgs& args,
                                      ApprovalId* id) {
  auto asked = approvals.asked(args.run_id);
  if (!asked) return asked.error();
  std::vector<std::pair<ApprovalId, Approvals::Read>> found;
  for (const ApprovalId& candidate : *asked) {
    if (args.node && candidate.node != *args.node) continue;
    auto read = approvals.read(candidate);
    if (!read) return read.error();
    if (*read) found.emplace_back(candidate, std::move(**read));
  }
  if (found.empty()) {
    return Error(ErrorCode::kNotFound,
                 "no approval was asked for run " + args.run_id +
                     (args.node ? " by node " + *args.node : "") +
                     " (the run id is the event id: `aof events show ID`)");
  }
  std::vector<std::size_t> pending;
  std::string names;
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (found[i].second.record.decided()) continue;
    pending.push_back(i);
    names += (names.empty() ? "" : ", ") + found[i].first.node;
  }
  if (pending.size() > 1) {
    return Error(ErrorCode::kInvalidArgument, "run " + args.run_id + " waits for " +
                                                  std::to_string(pending.size()) +
                                                  " approvals (" + names + "): add --node");
  }
  auto& chosen = found[pending.empty() ? found.size() - 1 : pending.front()];
  *id = chosen.first;
  return std::move(chosen.second);
}

int run_approve(const ApproveArgs& args) {
  auto broker = open_operator_broker(args.broker);
  if (!broker) return report_error("flow approve", broker.error());
  Clock& clock = SystemClock::instance();
  Approvals approvals(broker->state, clock, nullptr);
  ApprovalId id;
  auto current = find_approval(approvals, args, &id);
  if (!current) return report_error("flow approve", current.error());
  const auto& record = current->record;
  if (record.decided()) {
    std::cerr << "aof flow approve: node " << id.node << " of run " << args.run_id
              << " was already " << record.state << " by " << record.by << " at "
              << record.decided_at << "; nothing to do\n";
    return kExitFailed;
  }
  const std::string by = args.by.empty() ? operator_identity() : args.by;
  const std::string decision = args.deny ? "deny" : "approve";
  auto published = broker->queue
                       ->publish(runtime::approval::decision_event(id, decision, by, "cli",
                                                                   clock.now()))
                       .get();
  if (!published) return report_error("flow approve", published.error());
  if (args.broker.json) {
    std::cout << nlohmann::json{{"run_id", args.run_id},
                                {"decision", decision},
                                {"by", by},
                                {"flow", record.flow},
                                {"node", record.node_id},
                                {"decision_event", published->event_id}}
                     .dump()
              << "\n";
  } else {
    std::cout << (args.deny ? "denied" : "approved") << " node \"" << record.node_id
              << "\" of flow " << record.flow << " (run " << args.run_id << ") as " << by
              << "; a worker resumes it (decision event " << published->event_id << ")\n";
  }
  return kExitOk;
}

}  // namespace

void add_flow_command(CLI::App& app, int& exit_code) {
  auto* flow = app.add_subcommand("flow", "Operate on flow runs");
  flow->require_subcommand(1);
  auto args = std::make_shared<ApproveArgs>();
  auto* approve =
      flow->add_subcommand("approve", "Decide a flow paused by an Approval node; a worker resumes it");
  add_broker_flags(*approve, args->broker);
  approve->add_option("run_id", args->run_id, "The paused run (its event id)")->required();
  approve->add_option("--node", args->node, "The Approval node, when several of the run wait");
  approve->add_flag("--deny", args->deny, "Deny instead of approve");
  approve->add_option("--by", args->by, "Who decides, for the record (default user@host)");
  approve->callback([args, &exit_code] { exit_code = run_approve(*args); });
}

}  // namespace aof::cli
