#include "common/ingest/platforms/gitlab.h"

#include "common/ingest/bounded_json.h"
#include "common/ingest/envelope_parts.h"
#include "common/ingest/platforms/json_read.h"
#include "common/ingest/platforms/request_read.h"

namespace aof::ingest {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxNameBytes = 64;  // object_kind and action: GitLab's are < 32

// The action, per kind (gitlab.h): a pipeline's or job's status is what triggers bind on.
std::string action_of(const std::string& kind, const json& body) {
  if (kind == "pipeline") return text_at(body, {"object_attributes", "status"});
  if (kind == "build") return text_at(body, {"build_status"});
  if (kind == "deployment") return text_at(body, {"status"});
  std::string action = text_at(body, {"object_attributes", "action"});
  return action.empty() ? text_at(body, {"action"}) : action;
}

json user_of(const json& body) {
  const json& user = node_at(body, {"user"});
  if (!user.is_object()) {
    return {{"id", bounded_text(text_at(body, {"user_id"}))},
            {"username", bounded_text(text_at(body, {"user_username"}))}};
  }
  std::string name = text_at(user, {"username"});
  if (name.empty()) name = text_at(user, {"name"});  // job events carry no username
  return {{"id", bounded_text(text_at(user, {"id"}))}, {"username", bounded_text(name)}};
}

// project.path_with_namespace, when the event has a project (group events do not).
Status read_project(const json& body, PlatformMessage& out) {
  const json& path = node_at(body, {"project", "path_with_namespace"});
  if (path.is_null()) return ok_status();
  if (!path.is_string() || !is_token(path.get_ref<const std::string&>(), kMaxPathBytes)) {
    return malformed("gitlab project.path_with_namespace is not a project path");
  }
  out.repository = path.get<std::string>();
  out.tenant = out.repository.substr(0, out.repository.find('/'));
  out.channel_id = out.repository;
  return ok_status();
}

json base_metadata(const std::string& hook, const PlatformMessage& out, const json& body) {
  json user_id = scalar_at(body, {"user", "id"});
  if (user_id.is_null()) user_id = scalar_at(body, {"user_id"});
  return {{"event_type", out.event},
          {"action", out.action.empty() ? json(nullptr) : json(out.action)},
          {"gitlab_event", hook},
          {"project_id", scalar_at(body, {"project", "id"})},
          {"project_path", out.repository},
          {"user_id", user_id},
          {"user_username", out.user["username"]}};
}

bool has_iid(const json& object) { return node_at(object, {"iid"}).is_number_integer(); }

// A merge request (a merge_request event's object_attributes, or the merge_request of a note
// or pipeline): AOF's mr_* metadata, and the conversation replies go to.
void set_merge_request(const json& mr, PlatformMessage& out) {
  const std::string iid = text_at(mr, {"iid"});
  out.channel_id = out.repository + "!" + iid;
  out.thread_id = "mr-" + iid;
  json& m = out.metadata;
  m["mr_iid"] = scalar_at(mr, {"iid"});
  m["mr_title"] = scalar_at(mr, {"title"});
  m["mr_state"] = scalar_at(mr, {"state"});
  m["mr_draft"] = node_at(mr, {"draft"}) == true || node_at(mr, {"work_in_progress"}) == true;
  m["mr_source_branch"] = scalar_at(mr, {"source_branch"});
  m["mr_target_branch"] = scalar_at(mr, {"target_branch"});
  m["mr_merge_status"] = scalar_at(mr, {"merge_status"});
  m["mr_url"] = scalar_at(mr, {"url"});
}

void set_issue(const json& issue, PlatformMessage& out) {
  const std::string iid = text_at(issue, {"iid"});
  out.channel_id = out.repository + "#" + iid;
  out.thread_id = "issue-" + iid;
  json& m = out.metadata;
  m["issue_iid"] = scalar_at(issue, {"iid"});
  m["issue_title"] = scalar_at(issue, {"title"});
  m["issue_state"] = scalar_at(issue, {"state"});
  m["issue_url"] = scalar_at(issue, {"url"});
}

Status add_merge_request(const json& body, PlatformMessage& out) {
  const json& mr = node_at(body, {"object_attributes"});
  if (!has_iid(mr)) return malformed("gitlab merge_request without object_attributes.iid");
  set_merge_request(mr, out);
  out.text = "mr:" + out.action + ":" + text_at(mr, {"target_branch"}) + ":" +
             text_at(mr, {"source_branch"}) + " !" + text_at(mr, {"iid"}) + " " +
             text_at(mr, {"title"}) + " - " + first_line(text_at(mr, {"description"}));
  return ok_status();
}

Status add_issue(const json& body, PlatformMessage& out) {
  const json& issue = node_at(body, {"object_attributes"});
  if (!has_iid(issue)) return malformed("gitlab " + out.event + " without object_attributes.iid");
  set_issue(issue, out);
  out.text = "issue:" + out.action + ":#" + text_at(issue, {"iid"}) + " " +
             text_at(issue, {"title"}) + " - " + first_line(text_at(issue, {"description"}));
  return ok_status();
}

// A note whose first line is a /command is passed on as that line, so routing finds it
// (as GitHub's issue comments).
Status add_note(const json& body, PlatformMessage& out) {
  const json& note = node_at(body, {"object_attributes"});
  if (!node_at(note, {"note"}).is_string()) {
    return malformed("gitlab note without object_attributes.note");
  }
  if (const json& mr = node_at(body, {"merge_request"}); has_iid(mr)) {
    set_merge_request(mr, out);
  } else if (const json& issue = node_at(body, {"issue"}); has_iid(issue)) {
    set_issue(issue, out);
  }
  const std::string line = first_line(text_at(note, {"note"}));
  json& m = out.metadata;
  m["note_id"] = scalar_at(note, {"id"});
  m["note_body"] = scalar_at(note, {"note"});
  m["noteable_type"] = scalar_at(note, {"noteable_type"});
  m["note_url"] = scalar_at(note, {"url"});
  out.text = !line.empty() && line.front() == '/'
                 ? line
                 : "note:" + out.action + ":" + text_at(note, {"noteable_type"}) + ":" +
                       text_at(note, {"noteable_id"}) + " " + line;
  return ok_status();
}

Status add_pipeline(const json& body, PlatformMessage& out) {
  const json& pipeline = node_at(body, {"object_attributes"});
  if (!node_at(pipeline, {"status"}).is_string()) {
    return malformed("gitlab pipeline without object_attributes.status");
  }
  if (const json& mr = node_at(body, {"merge_request"}); has_iid(mr)) set_merge_request(mr, out);
  json& m = out.metadata;
  m["pipeline_id"] = scalar_at(pipeline, {"id"});
  m["pipeline_status"] = scalar_at(pipeline, {"status"});
  m["pipeline_ref"] = scalar_at(pipeline, {"ref"});
  m["pipeline_sha"] = scalar_at(pipeline, {"sha"});
  m["pipeline_source"] = scalar_at(pipeline, {"source"});
  m["pipeline_url"] = scalar_at(pipeline, {"url"});
  out.text = "pipeline:" + out.action + ":" + text_at(pipeline, {"id"}) + " on " +
             text_at(pipeline, {"ref"});
  return ok_status();
}

void add_job(const json& body, PlatformMessage& out) {
  json& m = out.metadata;
  m["job_id"] = scalar_at(body, {"build_id"});
  m["job_name"] = scalar_at(body, {"build_name"});
  m["job_stage"] = scalar_at(body, {"build_stage"});
  m["job_status"] = scalar_at(body, {"build_status"});
  m["job_failure_reason"] = scalar_at(body, {"build_failure_reason"});
  m["pipeline_id"] = scalar_at(body, {"pipeline_id"});
  m["ref"] = scalar_at(body, {"ref"});
  out.text = "job:" + out.action + ":" + text_at(body, {"build_name"}) + " in stage " +
             text_at(body, {"build_stage"});
}

// The message of the commit the push ends at (`after`), else of the last one listed.
std::string head_commit_message(const json& body) {
  const json& commits = node_at(body, {"commits"});
  if (!commits.is_array() || commits.empty()) return "";
  const std::string after = text_at(body, {"after"});
  for (const json& commit : commits) {
    if (text_at(commit, {"id"}) == after) return text_at(commit, {"message"});
  }
  return text_at(commits.back(), {"message"});
}

void add_push(const json& body, PlatformMessage& out) {
  json& m = out.metadata;
  m["ref"] = scalar_at(body, {"ref"});
  m["before_sha"] = scalar_at(body, {"before"});
  m["after_sha"] = scalar_at(body, {"after"});
  m["commit_count"] = scalar_at(body, {"total_commits_count"});
  if (out.event == "tag_push") {
    out.text = "tag_push:pushed " + text_at(body, {"ref"});
    return;
  }
  out.text = "push:pushed " + text_at(body, {"total_commits_count"}) + " commits to " +
             text_at(body, {"ref"}) + " - " + first_line(head_commit_message(body));
}

// The kinds AOF gave a text to need their project; the rest pass as "<event>:<action>".
Status add_details(const json& body, PlatformMessage& out) {
  const std::string& kind = out.event;
  const bool known = kind == "merge_request" || kind == "issue" || kind == "work_item" ||
                     kind == "note" || kind == "pipeline" || kind == "push" || kind == "tag_push";
  if (known && out.repository.empty()) {
    return malformed("gitlab " + kind + " without project.path_with_namespace");
  }
  if (kind == "merge_request") return add_merge_request(body, out);
  if (kind == "issue" || kind == "work_item") return add_issue(body, out);
  if (kind == "note") return add_note(body, out);
  if (kind == "pipeline") return add_pipeline(body, out);
  if (kind == "build") {
    add_job(body, out);
  } else if (kind == "push" || kind == "tag_push") {
    add_push(body, out);
  } else {
    out.text = kind + ":" + out.action;
  }
  return ok_status();
}

Result<PlatformMessage> message_of(const std::string& hook, const json& body) {
  PlatformMessage out;
  out.event = text_at(body, {"object_kind"});
  out.action = action_of(out.event, body);
  if (!is_token(out.event, kMaxNameBytes) || !node_at(body, {"object_kind"}).is_string()) {
    return malformed("gitlab object_kind is not an event name");
  }
  if (!out.action.empty() && !is_token(out.action, kMaxNameBytes)) {
    return malformed("gitlab " + out.event + " action is not a short name");
  }
  out.binding_keys = out.action.empty()
                         ? std::vector<std::string>{out.event}
                         : std::vector<std::string>{out.event + "." + out.action, out.event};
  if (auto read = read_project(body, out); !read.ok()) return read.error();
  out.user = user_of(body);
  out.metadata = base_metadata(hook, out, body);
  if (auto added = add_details(body, out); !added.ok()) return added.error();
  return out;
}

}  // namespace

Result<PlatformMessage> parse_gitlab(const IngressRequest& request) {
  auto hook = required_header(request, "x-gitlab-event", "X-Gitlab-Event");
  if (!hook.ok()) return hook.error();
  auto delivery = delivery_header(request, {"idempotency-key", "x-gitlab-event-uuid"});
  if (!delivery.ok()) return delivery.error();
  auto parsed = parse_json_object(request.body);
  if (!parsed.ok()) return parsed.error();
  if (node_at(*parsed, {"object_kind"}).is_null()) {
    return ignored_message("gitlab " + *hook + " without object_kind is not handled");
  }
  auto message = message_of(*hook, *parsed);
  if (!message.ok()) return message.error();
  message->delivery_id = std::move(*delivery);
  return message;
}

}  // namespace aof::ingest
