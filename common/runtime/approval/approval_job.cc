#include "common/runtime/approval/approval_job.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/base/ids.h"
#include "common/base/log.h"
#include "common/event/approval_reactions.h"

namespace aof::runtime::approval {

namespace {

using Json = nlohmann::json;

spdlog::logger& log() { return *aof::log::get(aof::log::Component::kWorker); }

Json ignored(const std::string& reason) {
  log().info("approval decision ignored: {}", reason);
  return Json{{"status", "ignored"}, {"reason", reason}};
}

std::string metadata_text(const event::Envelope& e, const char* key) {
  const auto it = e.metadata.find(key);
  return it != e.metadata.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string user_id(const event::Envelope& e) {
  return e.user.is_object() ? e.user.value("id", "") : "";
}

// approve / deny from the event; "" when it decides nothing.
std::string decision_of(const event::Envelope& e) {
  if (e.platform != "slack") {
    const std::string decision = metadata_text(e, "decision");
    return decision == "approve" ? "approved"
           : decision == "deny"  ? "denied"
           : decision == "timeout" ? "timeout"
                                   : "";
  }
  switch (event::reaction_decision(metadata_text(e, "reaction"))) {
    case event::ReactionDecision::kApprove:
      return "approved";
    case event::ReactionDecision::kDeny:
      return "denied";
    case event::ReactionDecision::kNone:
      break;
  }
  return "";
}

bool authorized(const std::vector<std::string>& allowed, const std::string& user) {
  if (allowed.empty()) return true;
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& entry) {
    return !user.empty() && (entry == user || entry == "slack:" + user);
  });
}

class ApprovalJob {
 public:
  ApprovalJob(Job inner, ApprovalJobDeps deps) : inner_(std::move(inner)), deps_(std::move(deps)) {}

  Result<Json> operator()(const event::Envelope& e, const JobContext& context,
                          bool* permanent) const {
    if (e.target.kind != event::TargetKind::kApproval) return inner_(e, context, permanent);
    auto run_id = paused_run(e);
    if (!run_id.ok()) return run_id.error();
    if (!*run_id) return ignored("no approval waits on " + e.channel_id + " " + e.thread_id);
    auto current = deps_.approvals->read(**run_id);
    if (!current.ok()) return current.error();
    if (!*current) return ignored("run " + **run_id + " waits for no approval");
    std::string decision = decision_of(e);
    if (decision.empty()) return ignored("\"" + metadata_text(e, "reaction") + "\" decides nothing");
    while ((*current)->record.state == "pending") {
      const auto& record = (*current)->record;
      if (to_unix_ms(deps_.clock->now()) >= record.deadline_ms) decision = "timeout";
      if (decision != "timeout" && e.platform == "slack" &&
          !authorized(record.approvers.empty() ? deps_.allowed_users : record.approvers,
                      user_id(e))) {
        return refuse(e, **run_id);
      }
      auto moved = deps_.approvals->decide(**run_id, **current, decision, decider(e),
                                           metadata_text(e, "reaction"), e.id);
      if (!moved.ok()) return moved.error();
      if (*moved) {
        log().info("event_id={} approval {} by {}", **run_id, decision, decider(e));
      }
      current = deps_.approvals->read(**run_id);
      if (!current.ok()) return current.error();
      if (!*current) return ignored("run " + **run_id + " approval vanished");
    }
    const auto& record = (*current)->record;
    if (record.decided_by != e.id) {
      return ignored("run " + **run_id + " was already " + record.state + " by " + record.by);
    }
    return resume(record, e, context, permanent);
  }

 private:
  Result<std::optional<std::string>> paused_run(const event::Envelope& e) const {
    if (const std::string id = metadata_text(e, "run_id"); !id.empty()) {
      return std::optional<std::string>(id);
    }
    return deps_.approvals->find_by_message(e.platform, e.channel_id,
                                            metadata_text(e, "item_ts"));
  }

  static std::string decider(const event::Envelope& e) {
    const std::string id = user_id(e);
    return e.platform == "slack" ? "slack:" + id : id.empty() ? e.platform : id;
  }

  Result<Json> refuse(const event::Envelope& e, const std::string& run_id) const {
    const std::string user = user_id(e);
    log().warn("event_id={} approval by slack user {} refused: not an approver", run_id, user);
    if (deps_.reporter) {
      report::ReportText text{false, "<@" + user + "> is not allowed to decide this approval."};
      auto posted = deps_.reporter->report(e, text);
      if (!posted.ok()) log().warn("refusal not posted: {}", posted.error().message());
    }
    return Json{{"status", "refused"}, {"run_id", run_id}, {"user", user}};
  }

  Result<Json> resume(const ApprovalRecord& record, const event::Envelope& decision,
                      const JobContext& context, bool* permanent) const {
    auto paused = event::from_json_value(record.envelope);
    if (!paused.ok()) {
      *permanent = true;
      return paused.error().with_context("the paused event of approval " + decision.id);
    }
    paused->attempt = decision.attempt;
    log().info("event_id={} resumes flow {} after {} (decision event {})", paused->id,
               record.flow, record.state, decision.id);
    return inner_(*paused, context, permanent);
  }

  Job inner_;
  ApprovalJobDeps deps_;
};

}  // namespace

Job approval_job(Job inner, ApprovalJobDeps deps) {
  return ApprovalJob(std::move(inner), std::move(deps));
}

event::Envelope decision_event(const std::string& event_id, const std::string& decision,
                               const std::string& by, const std::string& platform,
                               TimePoint now) {
  event::Envelope e;
  e.id = new_ulid(now);
  e.received_at = to_rfc3339(now);
  e.platform = platform;
  e.event = "approval_decision";
  e.action = decision;
  e.dedup_key = "approval:" + event_id + ":" + decision + (platform == "cli" ? ":" + e.id : "");
  e.target = event::Target{event::TargetKind::kApproval, ""};
  e.text = decision + " " + event_id;
  e.user = Json{{"id", by}, {"username", by}};
  e.metadata = Json{{"run_id", event_id}, {"decision", decision}};
  return e;
}

void publish_due_timeouts(Approvals& approvals, queue::Queue& queue, const Clock& clock) {
  auto due = approvals.due();
  if (!due.ok()) {
    log().warn("approval timeout sweep: {}", due.error().message());
    return;
  }
  for (const std::string& id : *due) {
    auto published = queue.publish(decision_event(id, "timeout", "timeout", "aof", clock.now())).get();
    if (!published.ok()) {
      log().warn("approval of event {} timed out, but its decision was not queued: {}", id,
                 published.error().message());
    }
  }
}

}  // namespace aof::runtime::approval
