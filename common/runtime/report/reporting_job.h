#pragma once
// Effect-once report-back around a Job (DESIGN §5, §7): runs the job unless the journal
// (journal.h) already holds its outcome, then posts the outcome once through the Reporter.
//   * success → the result is journaled, posted, and returned (the worker acks it);
//   * a failure is posted only when it is final (permanent, or the last attempt
//     queue.max_retries allows), so a retried event does not spam "❌" replies;
//   * a redelivery whose journal entry is "done" or "posting" skips the job and returns the
//     recorded result; "pending" (the post failed retryably) posts without re-running;
//   * a retryable post failure returns kUnavailable, so the event retries — the post, not
//     the agent.
// Not journaled yet: the agent's own tool calls (a redelivery that finds no entry re-runs the
// agent and its tools); only the report is effect-once.

#include <memory>

#include "common/queue/state.h"
#include "common/runtime/report/report.h"
#include "common/runtime/worker.h"

namespace aof::runtime::report {

// `max_retries` is queue.max_retries (when a failure is final). `state` and `reporter` are
// shared by every slot; both are thread-safe.
Job reporting_job(Job inner, std::shared_ptr<const Reporter> reporter,
                  std::shared_ptr<queue::StateStore> state, int max_retries);

}  // namespace aof::runtime::report
