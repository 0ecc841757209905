#pragma once
// Effect-once report-back around a Job (DESIGN §5, §7): runs the job unless the journal
// (journal.h) already holds its outcome, then posts the outcome once through the Reporter.
//   * success → the result is journaled, posted, and returned (the worker acks it);
//   * a failure is posted only when it is final (permanent, or the last attempt
//     queue.max_retries allows), so a retried event does not spam "❌" replies;
//   * a redelivery whose journal entry is "done" or "posting" skips the job and returns the
//     recorded result; "pending" (the post failed retryably) posts without re-running;
//   * a retryable post failure returns kUnavailable, so the event retries — the post, not
//     the agent;
//   * a flow paused by an Approval node ({status: "waiting_approval"}) is neither journaled
//     nor posted: its request is the message, and the resumed run (same event) reports.
// A redelivery that finds no entry runs the job again; the agent's tool calls with outside
// effects are not repeated then, the executor journals them (agent/tool_journal.h).

#include <atomic>
#include <memory>

#include "common/queue/state.h"
#include "common/runtime/report/report.h"
#include "common/runtime/worker.h"

namespace aof::runtime::report {

// What the reports came to, for metrics (aof_worker_reports_total{outcome}); shared by the
// jobs a reload makes, so counts survive it.
struct ReportCounters {
  std::atomic<long long> posted{0};
  std::atomic<long long> skipped{0};       // nothing to post to, or no token
  std::atomic<long long> refused{0};       // the platform said no (4xx, Slack ok:false)
  std::atomic<long long> retried{0};       // a retryable post failure: the event retries
  std::atomic<long long> unconfirmed{0};   // a dead worker's post found in flight, not repeated
  std::atomic<long long> deduplicated{0};  // a redelivery acked from the journal
};

// `max_retries` is queue.max_retries (when a failure is final). `state`, `reporter` and
// `counters` are shared by every slot; all are thread-safe. `counters` may be null.
Job reporting_job(Job inner, std::shared_ptr<const Reporter> reporter,
                  std::shared_ptr<queue::StateStore> state, int max_retries,
                  std::shared_ptr<ReportCounters> counters = nullptr);

}  // namespace aof::runtime::report
