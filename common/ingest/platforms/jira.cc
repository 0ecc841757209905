#include "common/ingest/platforms/jira.h"

#include <algorithm>

#include "common/ingest/bounded_json.h"
#include "common/ingest/envelope_parts.h"
#include "common/ingest/platforms/json_read.h"
#include "common/ingest/platforms/request_read.h"
#include "common/ingest/settings.h"

namespace aof::ingest {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxChangelogItems = 50;
constexpr std::string_view kJiraPrefix = "jira:";

std::string without_prefix(const std::string& event) {
  return event.starts_with(kJiraPrefix) ? event.substr(kJiraPrefix.size()) : event;
}

void add_key(std::vector<std::string>& keys, const std::string& key) {
  if (!key.empty() && std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
}

// issue_created → issue / created; the keys of jira.h.
void set_event(const std::string& sent, PlatformMessage& out) {
  const std::string name = without_prefix(sent);
  const std::size_t cut = name.rfind('_');
  out.event = cut == std::string::npos || cut == 0 ? name : name.substr(0, cut);
  out.action = cut == std::string::npos || cut == 0 ? "" : name.substr(cut + 1);
  add_key(out.binding_keys, sent);
  add_key(out.binding_keys, name);
  if (!out.action.empty()) add_key(out.binding_keys, out.event + "." + out.action);
  add_key(out.binding_keys, out.event);
}

// Cloud users have an accountId and a displayName; Data Center users a key and a name.
json user_of(const json& user) {
  std::string id = text_at(user, {"accountId"});
  if (id.empty()) id = text_at(user, {"key"});
  std::string name = text_at(user, {"name"});
  if (name.empty()) name = text_at(user, {"displayName"});
  return {{"id", bounded_text(id)}, {"username", bounded_text(name)}};
}

// [{field, from, to}] of changelog.items, at most kMaxChangelogItems.
json changelog_of(const json& body) {
  json out = json::array();
  const json& items = node_at(body, {"changelog", "items"});
  if (!items.is_array()) return out;
  for (const json& item : items) {
    if (out.size() == kMaxChangelogItems) break;
    out.push_back({{"field", scalar_at(item, {"field"})},
                   {"from", scalar_at(item, {"fromString"})},
                   {"to", scalar_at(item, {"toString"})}});
  }
  return out;
}

std::string changelog_text(const json& changelog) {
  std::string out;
  for (const json& item : changelog) {
    if (!out.empty()) out += ", ";
    out +=
        text_at(item, {"field"}) + ": " + text_at(item, {"from"}) + " -> " + text_at(item, {"to"});
  }
  return out;
}

void add_issue_metadata(const json& issue, json& m) {
  const json& fields = node_at(issue, {"fields"});
  m["issue_id"] = scalar_at(issue, {"id"});
  m["issue_key"] = scalar_at(issue, {"key"});
  m["issue_type"] = scalar_at(fields, {"issuetype", "name"});
  m["project_id"] = scalar_at(fields, {"project", "id"});
  m["project_key"] = scalar_at(fields, {"project", "key"});
  m["summary"] = scalar_at(fields, {"summary"});
  m["status"] = scalar_at(fields, {"status", "name"});
  m["priority"] = scalar_at(fields, {"priority", "name"});
  m["assignee"] = scalar_at(fields, {"assignee", "displayName"});
  m["labels"] = strings_at(fields, {"labels"});
}

// The issue and its project: channel, thread, tenant. Keys are short tokens ("PROJ-12").
Status read_issue(const json& body, PlatformMessage& out) {
  const json& issue = node_at(body, {"issue"});
  if (!issue.is_object()) return ok_status();
  const std::string key = text_at(issue, {"key"});
  const std::string project = text_at(issue, {"fields", "project", "key"});
  if (!is_token(key) || (!project.empty() && !is_token(project))) {
    return malformed("jira issue.key or its project key is not a short key");
  }
  out.thread_id = key;
  out.channel_id = project;
  out.tenant = project;
  add_issue_metadata(issue, out.metadata);
  return ok_status();
}

std::string issue_text(const json& body, const PlatformMessage& out) {
  const std::string& key = out.thread_id;
  const json& fields = node_at(body, {"issue", "fields"});
  if (out.action == "created") {
    return "issue:created:" + key + " " + text_at(fields, {"summary"}) + " - " +
           text_at(fields, {"description"});
  }
  if (out.action == "updated") {
    const std::string changes = changelog_text(out.metadata["changelog"]);
    return "issue:updated:" + key + (changes.empty() ? "" : " " + changes);
  }
  return "issue:" + out.action + ":" + key;
}

// A comment whose first line is a /command is passed on as that line, so routing finds it.
Status add_comment(const json& body, PlatformMessage& out) {
  const json& comment = node_at(body, {"comment"});
  const json& text = node_at(comment, {"body"});
  if (out.action == "deleted") {
    out.text = "comment:deleted:" + out.thread_id;
  } else if (!text.is_string()) {
    return malformed("jira " + out.event + "_" + out.action + " without comment.body");
  } else {
    const std::string line = first_line(text.get<std::string>());
    out.text = !line.empty() && line.front() == '/'
                   ? line
                   : "comment:" + out.action + ":" + out.thread_id + " " + text.get<std::string>();
  }
  out.metadata["comment_id"] = scalar_at(comment, {"id"});
  out.metadata["comment_body"] = scalar_at(comment, {"body"});
  return ok_status();
}

Status add_text(const json& body, PlatformMessage& out) {
  const bool needs_issue = out.event == "issue" || out.event == "comment";
  if (needs_issue && out.thread_id.empty()) {
    return malformed("jira " + out.event + " event without issue.key");
  }
  if (out.event == "issue") {
    out.text = issue_text(body, out);
  } else if (out.event == "comment") {
    return add_comment(body, out);
  } else if (out.event == "sprint") {
    out.metadata["sprint_id"] = scalar_at(body, {"sprint", "id"});
    out.metadata["sprint_name"] = scalar_at(body, {"sprint", "name"});
    out.text = "sprint:" + out.action + ":" + text_at(body, {"sprint", "name"});
  } else {
    out.text = without_prefix(out.metadata["event_type"].get<std::string>()) + ":" + out.thread_id;
  }
  return ok_status();
}

// Who acted: the comment's author for comment events, else `user`.
const json& actor_of(const json& body) {
  const json& author = node_at(body, {"comment", "author"});
  return author.is_object() ? author : node_at(body, {"user"});
}

Result<PlatformMessage> message_of(const std::string& sent, const json& body) {
  PlatformMessage out;
  set_event(sent, out);
  out.metadata = {{"event_type", sent},
                  {"action", out.action.empty() ? json(nullptr) : json(out.action)},
                  {"timestamp", scalar_at(body, {"timestamp"})},
                  {"changelog", changelog_of(body)}};
  if (auto read = read_issue(body, out); !read.ok()) return read.error();
  if (auto added = add_text(body, out); !added.ok()) return added.error();
  out.user = user_of(actor_of(body));
  return out;
}

bool listed(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end() ||
         std::find(list.begin(), list.end(), "*") != list.end();
}

}  // namespace

Result<PlatformMessage> parse_jira(const IngressRequest& request) {
  auto delivery = delivery_header(request, {"x-atlassian-webhook-identifier"});
  if (!delivery.ok()) return delivery.error();
  auto parsed = parse_json_object(request.body);
  if (!parsed.ok()) return parsed.error();
  const json& sent = node_at(*parsed, {"webhookEvent"});
  if (!sent.is_string() || !is_token(sent.get_ref<const std::string&>())) {
    return malformed("jira payload without a webhookEvent");
  }
  if (node_at(actor_of(*parsed), {"accountType"}) == "app") {
    return ignored_message("jira event by an app (an agent never triggers itself)");
  }
  auto message = message_of(sent.get<std::string>(), *parsed);
  if (!message.ok()) return message.error();
  message->delivery_id = std::move(*delivery);
  return message;
}

std::optional<std::string> jira_denied(const PlatformSettings& platform,
                                       const PlatformMessage& message) {
  const auto& lists = platform.allow_lists;
  if (const auto projects = lists.find("allowed_projects");
      projects != lists.end() && !projects->second.empty() &&
      (message.tenant.empty() || !listed(projects->second, message.tenant))) {
    const std::string project = message.tenant.empty() ? "(none)" : message.tenant;
    return "project " + project + " is not in platforms.jira.allowed_projects";
  }
  const std::string sent = message.metadata.value("event_type", "");
  if (const auto events = lists.find("allowed_events");
      events != lists.end() && !events->second.empty() && !listed(events->second, sent) &&
      !listed(events->second, without_prefix(sent))) {
    return "event " + sent + " is not in platforms.jira.allowed_events";
  }
  return std::nullopt;
}

}  // namespace aof::ingest
