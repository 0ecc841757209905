#pragma once
// Decision events (envelope target kind Approval) around a Job (worker.h): a Slack reaction to
// an approval request, `aof flow approve RUN_ID [--deny]`, or the timeout sweep. For each it
//   1. finds the approval: metadata.run_id and node_id (CLI, sweep) or the reacted-to message
//      (approvals.h approval-message key); none → {status: "ignored"};
//   2. reads the decision: approve on white_check_mark, heavy_check_mark, +1; deny on x, -1,
//      no_entry (reference §2.7; skin tones ignored); any other reaction → ignored; past the
//      deadline every decision is a timeout, which denies;
//   3. checks who decides: a reaction's user must be among the node's `approvers`, else
//      platforms.slack.approval_allowed_users (entries "U123" or "slack:U123"); empty = anyone
//      in the channel. A refusal is answered in the thread and the approval stays pending
//      ({status: "refused"}). CLI decisions are the operator's (broker access is the
//      authority); the sweep's timeouts are the system's;
//   4. records it (Approvals::decide, compare-and-set: one decision wins; a later one →
//      ignored, naming the first);
//   5. resumes: runs `inner` on the paused event as recorded (same id and generation, so the
//      flow's checkpoints skip its finished nodes and its report is journaled once) and
//      returns that result. A retry of the decision event resumes again.
// Other events pass straight to `inner`.

#include <memory>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/queue/queue.h"
#include "common/runtime/approval/approvals.h"
#include "common/runtime/report/report.h"
#include "common/runtime/worker.h"

namespace aof::runtime::approval {

struct ApprovalJobDeps {
  std::shared_ptr<Approvals> approvals;
  std::shared_ptr<const report::Reporter> reporter;  // refusals in the thread; null = logged
  std::vector<std::string> allowed_users;            // platforms.slack.approval_allowed_users
  const Clock* clock = nullptr;
};

Job approval_job(Job inner, ApprovalJobDeps deps);

// A decision event for approval `id`: `decision` is approve, deny or timeout; `platform`
// "cli" (an operator) or "aof" (the sweep). A timeout is deduplicated per approval, so the
// sweeps of several workers publish one.
event::Envelope decision_event(const ApprovalId& id, const std::string& decision,
                               const std::string& by, const std::string& platform,
                               TimePoint now);

// The timeout sweep (WorkerOptions.housekeeping): publishes a timeout decision for every
// pending approval past its deadline. Errors are logged; the next sweep tries again.
void publish_due_timeouts(Approvals& approvals, queue::Queue& queue, const Clock& clock);

}  // namespace aof::runtime::approval
