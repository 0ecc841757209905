#include "common/ingest/github.h"

namespace aof::ingest {
namespace {

using nlohmann::json;
using F = GithubField;
using Kind = JsonScalar::Kind;

std::string number_text(const GithubPayload& p, F field) { return p.integer(field).dump(); }

// Rust's str::lines().next(): up to the first '\n', without a trailing '\r'.
std::string first_line(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Error missing(const std::string& what) {
  return Error(ErrorCode::kInvalidArgument, "payload has no " + what);
}

// `conclusion` when set, else `status` (workflow runs and check runs in progress).
std::string conclusion_or_status(const GithubPayload& p, F conclusion, F status) {
  const std::string& text = p.text(conclusion);
  return text.empty() ? p.text(status) : text;
}

std::string push_text(const std::string& action, const GithubPayload& p) {
  const std::size_t count = p.is(F::kCommits, Kind::kArray) ? p[F::kCommits].size : 0;
  const std::string ref = p.is(F::kRef, Kind::kString) ? p.text(F::kRef) : "unknown";
  return "push:" + (action.empty() ? std::string("pushed") : action) + " " + std::to_string(count) +
         " commits to " + ref + " - " + first_line(p.text(F::kHeadCommitMessage));
}

Result<std::string> pull_request_text(const std::string& action, const GithubPayload& p) {
  if (!p.is(F::kPullRequest, Kind::kObject)) return missing("pull_request");
  return "pr:" + action + ":" + p.text(F::kPrBaseRef) + ":" + p.text(F::kPrHeadRef) + " #" +
         number_text(p, F::kPrNumber) + " " + p.text(F::kPrTitle) + " - " +
         first_line(p.text(F::kPrBody));
}

Result<std::string> issues_text(const std::string& action, const GithubPayload& p) {
  if (!p.is(F::kIssue, Kind::kObject)) return missing("issue");
  return "issue:" + action + ":#" + number_text(p, F::kIssueNumber) + " " + p.text(F::kIssueTitle) +
         " - " + first_line(p.text(F::kIssueBody));
}

// A comment whose first line is a /command is passed on as that line, so routing can find
// the command (reference §2.4 step 5c).
Result<std::string> issue_comment_text(const std::string& action, const GithubPayload& p) {
  if (!p.is(F::kComment, Kind::kObject)) return missing("comment");
  const std::string line = first_line(p.text(F::kCommentBody));
  if (!line.empty() && line.front() == '/') return line;
  return "comment:" + action + ":#" + number_text(p, F::kIssueNumber) + " " + line;
}

Result<std::string> workflow_run_text(const std::string& action, const GithubPayload& p) {
  if (!p.is(F::kWorkflowRun, Kind::kObject)) return missing("workflow_run");
  return "workflow:" + action + ":" + p.text(F::kWorkflowRunName) + " " +
         conclusion_or_status(p, F::kWorkflowRunConclusion, F::kWorkflowRunStatus) + " on " +
         p.text(F::kWorkflowRunHeadBranch);
}

Result<std::string> check_run_text(const std::string& action, const GithubPayload& p) {
  if (!p.is(F::kCheckRun, Kind::kObject)) return missing("check_run");
  return "check:" + action + ":" + p.text(F::kCheckRunName) + " " +
         conclusion_or_status(p, F::kCheckRunConclusion, F::kCheckRunStatus);
}

Result<std::string> message_text(std::string_view event, const std::string& action,
                                 const GithubPayload& p) {
  if (event == "push") return push_text(action, p);
  if (event == "pull_request") return pull_request_text(action, p);
  if (event == "issues") return issues_text(action, p);
  if (event == "issue_comment") return issue_comment_text(action, p);
  if (event == "workflow_run") return workflow_run_text(action, p);
  if (event == "check_run") return check_run_text(action, p);
  return std::string(event) + ":" + action;
}

void add_common(json& m, std::string_view event, const GithubPayload& p) {
  m["event_type"] = std::string(event);
  // null when the payload has none (push), as AOF's Option<&str>
  m["action"] = p.is(F::kAction, Kind::kString) ? json(p.text(F::kAction)) : json(nullptr);
  m["repo_id"] = p.integer(F::kRepoId);
  m["repo_full_name"] = p.text(F::kRepoFullName);
  m["repo_private"] = p.boolean(F::kRepoPrivate);
  m["sender_id"] = p.integer(F::kSenderId);
  m["sender_login"] = p.text(F::kSenderLogin);
}

void add_pull_request(json& m, const GithubPayload& p) {
  m["pr_number"] = p.integer(F::kPrNumber);
  m["pr_title"] = p.text(F::kPrTitle);
  m["pr_state"] = p.text(F::kPrState);
  m["pr_draft"] = p.boolean(F::kPrDraft);
  m["pr_base_ref"] = p.text(F::kPrBaseRef);
  m["pr_head_ref"] = p.text(F::kPrHeadRef);
  m["pr_head_sha"] = p.text(F::kPrHeadSha);
  m["pr_additions"] = p.integer(F::kPrAdditions);
  m["pr_deletions"] = p.integer(F::kPrDeletions);
  m["pr_changed_files"] = p.integer(F::kPrChangedFiles);
  m["pr_html_url"] = p.text(F::kPrHtmlUrl);
}

void add_issue(json& m, const GithubPayload& p) {
  m["issue_number"] = p.integer(F::kIssueNumber);
  m["issue_title"] = p.text(F::kIssueTitle);
  m["issue_state"] = p.text(F::kIssueState);
  m["issue_html_url"] = p.text(F::kIssueHtmlUrl);
}

void add_comment(json& m, const GithubPayload& p) {
  m["comment_id"] = p.integer(F::kCommentId);
  m["comment_body"] = p.text(F::kCommentBody);
  m["comment_html_url"] = p.text(F::kCommentHtmlUrl);
  m["is_pr_comment"] = p.text(F::kIssueHtmlUrl).find("/pull/") != std::string::npos;
}

void add_push(json& m, const GithubPayload& p) {
  if (p.is(F::kRef, Kind::kString)) m["ref"] = p.text(F::kRef);
  if (p.is(F::kBefore, Kind::kString)) m["before_sha"] = p.text(F::kBefore);
  if (p.is(F::kAfter, Kind::kString)) m["after_sha"] = p.text(F::kAfter);
  if (p.is(F::kCommits, Kind::kArray)) m["commit_count"] = p[F::kCommits].size;
}

json build_metadata(std::string_view event, const GithubPayload& p) {
  json m = json::object();
  add_common(m, event, p);
  if (p.is(F::kPullRequest, Kind::kObject)) add_pull_request(m, p);
  if (p.is(F::kIssue, Kind::kObject)) add_issue(m, p);
  if (p.is(F::kComment, Kind::kObject)) add_comment(m, p);
  add_push(m, p);
  return m;
}

// channel_id and thread_id: the PR wins over the issue (AOF's order).
void set_conversation(GithubMessage& msg, const GithubPayload& p) {
  if (p.is(F::kPullRequest, Kind::kObject)) {
    msg.channel_id = msg.repo_full_name + "#" + number_text(p, F::kPrNumber);
    msg.thread_id = "pr-" + number_text(p, F::kPrNumber);
  } else if (p.is(F::kIssue, Kind::kObject)) {
    msg.channel_id = msg.repo_full_name + "#" + number_text(p, F::kIssueNumber);
    msg.thread_id = "issue-" + number_text(p, F::kIssueNumber);
  } else {
    msg.channel_id = msg.repo_full_name;
  }
}

// The org: repository.owner.login, else the part of full_name before '/'.
std::string tenant_of(const GithubPayload& p) {
  const std::string& owner = p.text(F::kRepoOwnerLogin);
  if (!owner.empty()) return owner;
  const std::string& full_name = p.text(F::kRepoFullName);
  return full_name.substr(0, full_name.find('/'));
}

}  // namespace

bool is_valid_github_event_name(std::string_view event) {
  if (event.empty() || event.size() > 64) return false;
  for (const char c : event) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<GithubMessage> normalize_github(std::string_view event, const GithubPayload& payload) {
  if (!payload.is(F::kRepoFullName, Kind::kString)) return missing("repository");
  if (!payload.is(F::kSenderLogin, Kind::kString)) return missing("sender");
  GithubMessage msg;
  msg.event = std::string(event);
  msg.action = payload.text(F::kAction);
  Result<std::string> text = message_text(event, msg.action, payload);
  if (!text.ok()) return text.error();
  msg.text = std::move(text).value();
  msg.repo_full_name = payload.text(F::kRepoFullName);
  msg.tenant = tenant_of(payload);
  set_conversation(msg, payload);
  msg.user = {{"id", number_text(payload, F::kSenderId)},
              {"username", payload.text(F::kSenderLogin)}};
  msg.metadata = build_metadata(event, payload);
  return msg;
}

Result<GithubMessage> normalize_github(std::string_view event, const nlohmann::json& payload) {
  return normalize_github(event, GithubPayload::from_tree(payload));
}

}  // namespace aof::ingest
