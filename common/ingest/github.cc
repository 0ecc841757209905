#include "common/ingest/github.h"

namespace aof::ingest {
namespace {

using nlohmann::json;

constexpr std::string_view kSignaturePrefix = "sha256=";
constexpr std::size_t kSignatureHexLength = 64;

// Field access that never throws: a missing key or a non-object yields null.
const json& field(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string text_of(const json& object, const char* key) {
  const json& value = field(object, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

// Numbers keep their JSON type in metadata (AOF: serde_json::json!(i64)); absent → 0.
json integer_of(const json& object, const char* key) {
  const json& value = field(object, key);
  return value.is_number_integer() ? value : json(0);
}

bool bool_of(const json& object, const char* key) {
  const json& value = field(object, key);
  return value.is_boolean() && value.get<bool>();
}

std::string number_text(const json& object, const char* key) {
  return integer_of(object, key).dump();
}

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
std::string conclusion_or_status(const json& run) {
  const std::string conclusion = text_of(run, "conclusion");
  return conclusion.empty() ? text_of(run, "status") : conclusion;
}

std::string push_text(const std::string& action, const json& payload) {
  const json& commits = field(payload, "commits");
  const std::size_t count = commits.is_array() ? commits.size() : 0;
  const std::string ref = field(payload, "ref").is_string() ? text_of(payload, "ref") : "unknown";
  return "push:" + (action.empty() ? std::string("pushed") : action) + " " + std::to_string(count) +
         " commits to " + ref + " - " +
         first_line(text_of(field(payload, "head_commit"), "message"));
}

Result<std::string> pull_request_text(const std::string& action, const json& payload) {
  const json& pr = field(payload, "pull_request");
  if (!pr.is_object()) return missing("pull_request");
  return "pr:" + action + ":" + text_of(field(pr, "base"), "ref") + ":" +
         text_of(field(pr, "head"), "ref") + " #" + number_text(pr, "number") + " " +
         text_of(pr, "title") + " - " + first_line(text_of(pr, "body"));
}

Result<std::string> issues_text(const std::string& action, const json& payload) {
  const json& issue = field(payload, "issue");
  if (!issue.is_object()) return missing("issue");
  return "issue:" + action + ":#" + number_text(issue, "number") + " " + text_of(issue, "title") +
         " - " + first_line(text_of(issue, "body"));
}

// A comment whose first line is a /command is passed on as that line, so routing can find
// the command (reference §2.4 step 5c).
Result<std::string> issue_comment_text(const std::string& action, const json& payload) {
  const json& comment = field(payload, "comment");
  if (!comment.is_object()) return missing("comment");
  const std::string line = first_line(text_of(comment, "body"));
  if (!line.empty() && line.front() == '/') return line;
  return "comment:" + action + ":#" + number_text(field(payload, "issue"), "number") + " " + line;
}

Result<std::string> workflow_run_text(const std::string& action, const json& payload) {
  const json& run = field(payload, "workflow_run");
  if (!run.is_object()) return missing("workflow_run");
  return "workflow:" + action + ":" + text_of(run, "name") + " " + conclusion_or_status(run) +
         " on " + text_of(run, "head_branch");
}

Result<std::string> check_run_text(const std::string& action, const json& payload) {
  const json& check = field(payload, "check_run");
  if (!check.is_object()) return missing("check_run");
  return "check:" + action + ":" + text_of(check, "name") + " " + conclusion_or_status(check);
}

Result<std::string> message_text(std::string_view event, const std::string& action,
                                 const json& payload) {
  if (event == "push") return push_text(action, payload);
  if (event == "pull_request") return pull_request_text(action, payload);
  if (event == "issues") return issues_text(action, payload);
  if (event == "issue_comment") return issue_comment_text(action, payload);
  if (event == "workflow_run") return workflow_run_text(action, payload);
  if (event == "check_run") return check_run_text(action, payload);
  return std::string(event) + ":" + action;
}

void add_common(json& m, std::string_view event, const json& action, const json& repo,
                const json& sender) {
  m["event_type"] = std::string(event);
  m["action"] = action;  // null when the payload has none (push), as AOF's Option<&str>
  m["repo_id"] = integer_of(repo, "id");
  m["repo_full_name"] = text_of(repo, "full_name");
  m["repo_private"] = bool_of(repo, "private");
  m["sender_id"] = integer_of(sender, "id");
  m["sender_login"] = text_of(sender, "login");
}

void add_pull_request(json& m, const json& pr) {
  m["pr_number"] = integer_of(pr, "number");
  m["pr_title"] = text_of(pr, "title");
  m["pr_state"] = text_of(pr, "state");
  m["pr_draft"] = bool_of(pr, "draft");
  m["pr_base_ref"] = text_of(field(pr, "base"), "ref");
  m["pr_head_ref"] = text_of(field(pr, "head"), "ref");
  m["pr_head_sha"] = text_of(field(pr, "head"), "sha");
  m["pr_additions"] = integer_of(pr, "additions");
  m["pr_deletions"] = integer_of(pr, "deletions");
  m["pr_changed_files"] = integer_of(pr, "changed_files");
  m["pr_html_url"] = text_of(pr, "html_url");
}

void add_issue(json& m, const json& issue) {
  m["issue_number"] = integer_of(issue, "number");
  m["issue_title"] = text_of(issue, "title");
  m["issue_state"] = text_of(issue, "state");
  m["issue_html_url"] = text_of(issue, "html_url");
}

void add_comment(json& m, const json& comment, const json& issue) {
  m["comment_id"] = integer_of(comment, "id");
  m["comment_body"] = text_of(comment, "body");
  m["comment_html_url"] = text_of(comment, "html_url");
  m["is_pr_comment"] = text_of(issue, "html_url").find("/pull/") != std::string::npos;
}

void add_push(json& m, const json& payload) {
  if (field(payload, "ref").is_string()) m["ref"] = text_of(payload, "ref");
  if (field(payload, "before").is_string()) m["before_sha"] = text_of(payload, "before");
  if (field(payload, "after").is_string()) m["after_sha"] = text_of(payload, "after");
  const json& commits = field(payload, "commits");
  if (commits.is_array()) m["commit_count"] = commits.size();
}

json build_metadata(std::string_view event, const json& payload) {
  json m = json::object();
  const json& action = field(payload, "action");
  add_common(m, event, action.is_string() ? action : json(nullptr), field(payload, "repository"),
             field(payload, "sender"));
  const json& pr = field(payload, "pull_request");
  const json& issue = field(payload, "issue");
  const json& comment = field(payload, "comment");
  if (pr.is_object()) add_pull_request(m, pr);
  if (issue.is_object()) add_issue(m, issue);
  if (comment.is_object()) add_comment(m, comment, issue);
  add_push(m, payload);
  return m;
}

// channel_id and thread_id: the PR wins over the issue (AOF's order).
void set_conversation(GithubMessage& msg, const json& payload) {
  const json& pr = field(payload, "pull_request");
  const json& issue = field(payload, "issue");
  if (pr.is_object()) {
    msg.channel_id = msg.repo_full_name + "#" + number_text(pr, "number");
    msg.thread_id = "pr-" + number_text(pr, "number");
  } else if (issue.is_object()) {
    msg.channel_id = msg.repo_full_name + "#" + number_text(issue, "number");
    msg.thread_id = "issue-" + number_text(issue, "number");
  } else {
    msg.channel_id = msg.repo_full_name;
  }
}

// The org: repository.owner.login, else the part of full_name before '/'.
std::string tenant_of(const json& repo) {
  std::string owner = text_of(field(repo, "owner"), "login");
  if (!owner.empty()) return owner;
  const std::string full_name = text_of(repo, "full_name");
  return full_name.substr(0, full_name.find('/'));
}

}  // namespace

std::optional<std::string_view> github_signature_hex(std::string_view header) {
  if (header.size() != kSignaturePrefix.size() + kSignatureHexLength) return std::nullopt;
  if (header.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) return std::nullopt;
  return header.substr(kSignaturePrefix.size());  // hex digits are checked when decoded
}

bool is_valid_github_event_name(std::string_view event) {
  if (event.empty() || event.size() > 64) return false;
  for (const char c : event) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<GithubMessage> normalize_github(std::string_view event, const nlohmann::json& payload) {
  const json& repo = field(payload, "repository");
  const json& sender = field(payload, "sender");
  if (!field(repo, "full_name").is_string()) return missing("repository");
  if (!field(sender, "login").is_string()) return missing("sender");
  GithubMessage msg;
  msg.event = std::string(event);
  msg.action = text_of(payload, "action");
  Result<std::string> text = message_text(event, msg.action, payload);
  if (!text.ok()) return text.error();
  msg.text = std::move(text).value();
  msg.repo_full_name = text_of(repo, "full_name");
  msg.tenant = tenant_of(repo);
  set_conversation(msg, payload);
  msg.user = {{"id", number_text(sender, "id")}, {"username", text_of(sender, "login")}};
  msg.metadata = build_metadata(event, payload);
  return msg;
}

}  // namespace aof::ingest
