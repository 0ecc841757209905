#include "common/runtime/report/reporting_job.h"

#include <cassert>
#include "common/base/log.h"
#include "common/queue/retry_policy.h"

#include "common/runtime/report/journal.h"

namespace aof::runtime::report {
namespace {

// Compare-and-set races (two workers on one event) settle within a couple of reads.
constexpr int kMaxRaces = 4;

class ReportingJob {
 public:
  ReportingJob(Job inner, std::shared_ptr<const Reporter> reporter,
               std::shared_ptr<queue::StateStore> state, int max_retries,
               std::shared_ptr<ReportCounters> counters)
      : inner_(std::move(inner)),
        reporter_(std::move(reporter)),
        state_(std::move(state)),
        counters_(counters ? std::move(counters) : std::make_shared<ReportCounters>()) {
    policy_.max_retries = max_retries;  // only this decides whether a failure is final
  }

  Result<nlohmann::json> run(const event::Envelope& envelope, const JobContext& context,
                             bool* permanent) const {
    Journal journal(*state_);
    const std::string key = journal_key(envelope);
    auto read = journal.read(key);
    if (!read.ok()) return read.error();
    if (read->entry) return resume(envelope, context, key, *read, 0, permanent);
    auto result = inner_(envelope, context, permanent);
    const bool drained = context.cancelled && context.cancelled->load();
    if (!result.ok() && (drained || (!*permanent && queue::may_retry(policy_, envelope.attempt)))) {
      return result;  // not final: the retry runs it again and reports then
    }
    if (result.ok() && result->is_object() && result->value("status", "") == "waiting_approval") {
      return result;  // paused: the approval request was posted; the resumed run reports
    }
    JournalEntry entry{"posting",
                       result.ok(),
                       result.ok() ? journaled_result(*result) : nlohmann::json(),
                       result.ok() ? "" : result.error().message(),
                       "",
                       context.worker};
    auto moved = journal.move(key, read->raw, entry);
    if (!moved.ok()) return moved.error();
    if (!*moved) return race(envelope, context, key, 1, permanent);
    if (auto posted = post(envelope, context, key, entry, permanent); !posted.ok()) {
      return posted.error();
    }
    return result;  // a final failure keeps its code and whether it was permanent
  }

 private:
  // Someone else moved the entry first: act on what they wrote.
  Result<nlohmann::json> race(const event::Envelope& envelope, const JobContext& context,
                              const std::string& key, int races, bool* permanent) const {
    if (races > kMaxRaces) {
      return Error(ErrorCode::kUnavailable, "effect journal " + key + ": contended");
    }
    auto read = Journal(*state_).read(key);
    if (!read.ok()) return read.error();
    if (!read->entry) return Error(ErrorCode::kUnavailable, "effect journal " + key + ": vanished");
    return resume(envelope, context, key, *read, races, permanent);
  }

  Result<nlohmann::json> resume(const event::Envelope& envelope, const JobContext& context,
                                const std::string& key, const Journal::Read& read, int races,
                                bool* permanent) const {
    JournalEntry entry = *read.entry;
    auto logger = log::get(log::Component::kWorker);
    if (entry.state == "done") {
      logger->info("event_id={} generation={} already reported ({}); not run again", envelope.id,
                   envelope.generation, entry.outcome);
      ++counters_->deduplicated;
      return recorded(entry, permanent);
    }
    if (entry.state == "posting") {
      // Its worker died or lost the lease mid-post: the post may have landed. Not again
      // (journal.h says why).
      logger->warn(
          "event_id={} generation={} was being reported by {} when it stopped; the "
          "reply may be missing, it is not posted twice",
          envelope.id, envelope.generation, entry.worker);
      entry.state = "done";
      entry.outcome = "unconfirmed";
      entry.worker = context.worker;
      if (auto moved = Journal(*state_).move(key, read.raw, entry); !moved.ok()) {
        return moved.error();
      } else if (!*moved) {
        return race(envelope, context, key, races + 1, permanent);
      }
      ++counters_->unconfirmed;
      return recorded(entry, permanent);
    }
    // pending: the recorded outcome still has to be posted.
    entry.state = "posting";
    entry.worker = context.worker;
    auto moved = Journal(*state_).move(key, read.raw, entry);
    if (!moved.ok()) return moved.error();
    if (!*moved) return race(envelope, context, key, races + 1, permanent);
    if (auto posted = post(envelope, context, key, entry, permanent); !posted.ok()) {
      return posted.error();
    }
    return recorded(entry, permanent);
  }

  // Posts the entry (state "posting") and records how it went. Errors: a retryable post
  // failure (the event retries; *permanent cleared) or the state store's.
  Status post(const event::Envelope& envelope, const JobContext& context, const std::string& key,
              JournalEntry entry, bool* permanent) const {
    const auto text = entry.success ? text_of_result(entry.result) : text_of_error(entry.error);
    auto posted = reporter_->report(envelope, text);
    const std::string posting = entry.encode();
    entry.state = posted.ok() ? "done" : "pending";
    entry.outcome = posted.ok() ? to_string(*posted) : "";
    entry.worker = context.worker;
    if (auto moved = Journal(*state_).move(key, posting, entry); !moved.ok()) {
      return moved.error();
    }
    count(posted);
    if (!posted.ok()) {
      *permanent = false;
      return posted.error();
    }
    return ok_status();
  }

  void count(const Result<Outcome>& posted) const {
    if (!posted.ok()) {
      ++counters_->retried;
      return;
    }
    switch (*posted) {
      case Outcome::kPosted:
        ++counters_->posted;
        return;
      case Outcome::kSkipped:
        ++counters_->skipped;
        return;
      case Outcome::kRefused:
        ++counters_->refused;
        return;
    }
  }

  static Result<nlohmann::json> recorded(const JournalEntry& entry, bool* permanent) {
    if (entry.success) return entry.result;
    *permanent = true;  // a failure is journaled only when final
    return Error(ErrorCode::kInvalidArgument, entry.error);
  }

  Job inner_;
  std::shared_ptr<const Reporter> reporter_;
  std::shared_ptr<queue::StateStore> state_;
  std::shared_ptr<ReportCounters> counters_;
  queue::RetryPolicy policy_;  // queue.max_retries, as the queue applies it
};

}  // namespace

Job reporting_job(Job inner, std::shared_ptr<const Reporter> reporter,
                  std::shared_ptr<queue::StateStore> state, int max_retries,
                  std::shared_ptr<ReportCounters> counters) {
  assert(reporter && state);
  auto job = std::make_shared<const ReportingJob>(
      std::move(inner), std::move(reporter), std::move(state), max_retries, std::move(counters));
  return [job](const event::Envelope& envelope, const JobContext& context, bool* permanent) {
    return job->run(envelope, context, permanent);
  };
}

}  // namespace aof::runtime::report
