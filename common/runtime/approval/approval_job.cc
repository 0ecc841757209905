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
    auto found = paused_approval(e);
    if (!found.ok()) return found.error();
    if (!*found) return ignored("no approval waits on " + e.channel_id + " " + e.thread_id);
    const ApprovalId& id = **found;
    auto current = deps_.approvals->read(id);
    if (!current.ok()) return current.error();
    if (!*current) return ignored("approval " + id.text() + " was never asked");
    std::string decision = decision_of(e);
    if (decision.empty()) return ignored("\"" + metadata_text(e, "reaction") + "\" decides nothing");
    while ((*current)->record.state == "pending") {
      const auto& record = (*current)->record;
      if (to_unix_ms(deps_.clock->now()) >= record.deadline_ms) decision = "timeout";
      if (decision != "timeout" && e.platform == "slack" &&
          !authorized(record.approvers.empty() ? deps_.allowed_users : record.approvers,
                      user_id(e))) {
        return refuse(e, id);
      }
      auto moved = deps_.approvals->decide(id, **current, decision, decider(e),
                                           metadata_text(e, "reaction"), e.id);
      if (!moved.ok()) return moved.error();
      if (*moved) log().info("approval {} {} by {}", id.text(), decision, decider(e));
      current = deps_.approvals->read(id);
      if (!current.ok()) return current.error();
      if (!*current) return ignored("approval " + id.text() + " vanished");
    }
    const auto& record = (*current)->record;
    if (record.decided_by != e.id) {
      return ignored("approval " + id.text() + " was already " + record.state + " by " +
                     record.by);
    }
    return resume(record, e, context, permanent);
  }

 private:
  Result<std::optional<ApprovalId>> paused_approval(const event::Envelope& e) const {
    const std::string run = metadata_text(e, "run_id");
    if (!run.empty()) {
      return std::optional<ApprovalId>(ApprovalId{run, metadata_text(e, "node_id")});
    }
    return deps_.approvals->find_by_message(e.platform, e.channel_id,
                                            metadata_text(e, "item_ts"));
  }

  static std::string decider(const event::Envelope& e) {
    const std::string id = user_id(e);
    return e.platform == "slack" ? "slack:" + id : id.empty() ? e.platform : id;
  }

  Result<Json> refuse(const event::Envelope& e, const ApprovalId& id) const {
    const std::string user = user_id(e);
    log().warn("approval {} by slack user {} refused: not an approver", id.text(), user);
    if (deps_.reporter) {
      report::ReportText text{false, "<@" + user + "> is not allowed to decide this approval."};
      auto posted = deps_.reporter->report(e, text);
      if (!posted.ok()) log().warn("refusal not posted: {}", posted.error().message());
    }
    return Json{{"status", "refused"}, {"approval", id.text()}, {"user", user}};
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

event::Envelope decision_event(const ApprovalId& id, const std::string& decision,
                               const std::string& by, const std::string& platform,
                               TimePoint now) {
  event::Envelope e;
  e.id = new_ulid(now);
  e.received_at = to_rfc3339(now);
  e.platform = platform;
  e.event = "approval_decision";
  e.action = decision;
  e.dedup_key =
      "approval:" + id.text() + ":" + decision + (platform == "cli" ? ":" + e.id : "");
  e.target = event::Target{event::TargetKind::kApproval, ""};
  e.text = decision + " " + id.text();
  e.user = Json{{"id", by}, {"username", by}};
  e.metadata = Json{{"run_id", id.run}, {"node_id", id.node}, {"decision", decision}};
  return e;
}

void publish_due_timeouts(Approvals& approvals, queue::Queue& queue, const Clock& clock) {
  auto due = approvals.due();
  if (!due.ok()) {
    log().warn("approval timeout sweep: {}", due.error().message());
    return;
  }
  for (const ApprovalId& id : *due) {
    auto published =
        queue.publish(decision_event(id, "timeout", "timeout", "aof", clock.now())).get();
    if (!published.ok()) {
      log().warn("approval {} timed out, but its decision was not queued: {}", id.text(),
                 published.error().message());
    }
  }
}

}  // namespace aof::runtime::approval
