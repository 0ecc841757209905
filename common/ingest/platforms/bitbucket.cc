#include "common/ingest/platforms/bitbucket.h"

#include "common/ingest/answers.h"
#include "common/ingest/bounded_json.h"
#include "common/ingest/envelope_parts.h"
#include "common/ingest/platforms/json_read.h"
#include "common/ingest/platforms/request_read.h"

namespace aof::ingest {
namespace {

using nlohmann::json;

// Which of the two products sent the body, and where it keeps its parts.
struct Flavor {
  bool data_center = false;
  const char* pull_request = "pullrequest";  // Data Center: pullRequest
};

Flavor flavor_of(const json& body) {
  if (!node_at(body, {"eventKey"}).is_string()) return {};
  return {true, "pullRequest"};
}

json user_of(const json& actor, const Flavor& flavor) {
  std::string id = text_at(actor, {flavor.data_center ? "id" : "account_id"});
  if (id.empty()) id = text_at(actor, {"uuid"});
  std::string name = text_at(actor, {flavor.data_center ? "name" : "nickname"});
  if (name.empty()) name = text_at(actor, {flavor.data_center ? "slug" : "display_name"});
  return {{"id", bounded_text(id)}, {"username", bounded_text(name)}};
}

Status read_cloud_repository(const json& body, PlatformMessage& out) {
  const std::string name = text_at(body, {"repository", "full_name"});
  if (!node_at(body, {"repository", "full_name"}).is_string() || !is_token(name, kMaxPathBytes)) {
    return malformed("bitbucket payload has no repository.full_name");
  }
  out.repository = name;
  const std::string workspace = text_at(body, {"repository", "workspace", "slug"});
  out.tenant = is_token(workspace) ? workspace : name.substr(0, name.find('/'));
  return ok_status();
}

// Data Center names a repository by its project key and slug ("PROJ/repository").
Status read_data_center_repository(const json& body, PlatformMessage& out) {
  const json* repo = &node_at(body, {"repository"});
  if (!repo->is_object()) repo = &node_at(body, {"pullRequest", "toRef", "repository"});
  const std::string key = text_at(*repo, {"project", "key"});
  const std::string slug = text_at(*repo, {"slug"});
  if (!is_token(key) || !is_token(slug)) {
    return malformed("bitbucket payload has no repository project.key and slug");
  }
  out.repository = key + "/" + slug;
  out.tenant = key;
  return ok_status();
}

// The first link of Data Center's links.self list, or Cloud's links.html.href.
std::string html_link(const json& object, const Flavor& flavor) {
  if (!flavor.data_center) return text_at(object, {"links", "html", "href"});
  const json& self = node_at(object, {"links", "self"});
  return self.is_array() && !self.empty() ? text_at(self[0], {"href"}) : "";
}

Status add_pull_request(const json& pr, const Flavor& flavor, PlatformMessage& out) {
  if (!node_at(pr, {"id"}).is_number_integer()) {
    return malformed("bitbucket " + out.event + " without a numeric pull request id");
  }
  const bool dc = flavor.data_center;
  const std::string id = text_at(pr, {"id"});
  const std::string base =
      dc ? text_at(pr, {"toRef", "displayId"}) : text_at(pr, {"destination", "branch", "name"});
  const std::string head =
      dc ? text_at(pr, {"fromRef", "displayId"}) : text_at(pr, {"source", "branch", "name"});
  out.channel_id = out.repository + "#" + id;
  out.thread_id = "pr-" + id;
  json& m = out.metadata;
  m["pr_number"] = scalar_at(pr, {"id"});
  m["pr_title"] = scalar_at(pr, {"title"});
  m["pr_state"] = scalar_at(pr, {"state"});
  m["pr_base_ref"] = bounded_text(base);
  m["pr_head_ref"] = bounded_text(head);
  m["pr_html_url"] = bounded_text(html_link(pr, flavor));
  out.text = "pr:" + out.action + ":" + base + ":" + head + " #" + id + " " +
             text_at(pr, {"title"}) + " - " + first_line(text_at(pr, {"description"}));
  return ok_status();
}

// A comment whose first line is a /command is passed on as that line, so routing finds it.
Status add_comment(const json& body, const Flavor& flavor, PlatformMessage& out) {
  const json& comment = node_at(body, {"comment"});
  const json& raw =
      flavor.data_center ? node_at(comment, {"text"}) : node_at(comment, {"content", "raw"});
  if (!raw.is_string()) return malformed("bitbucket " + out.event + " comment without its text");
  const std::string line = first_line(raw.get<std::string>());
  json& m = out.metadata;
  m["comment_id"] = scalar_at(comment, {"id"});
  m["comment_body"] = bounded_text(raw.get<std::string>());
  m["comment_html_url"] = bounded_text(html_link(comment, flavor));
  const std::string on = m.contains("pr_number") ? "#" + m["pr_number"].dump() : "";
  out.text =
      !line.empty() && line.front() == '/' ? line : "comment:" + out.action + ":" + on + " " + line;
  return ok_status();
}

// Cloud: push.changes[].new is the branch or tag after the push, with its commits listed.
void add_cloud_push(const json& body, PlatformMessage& out) {
  const json& changes = node_at(body, {"push", "changes"});
  if (!changes.is_array() || changes.empty()) {
    out.text = "push:pushed 0 commits";
    return;
  }
  const json& change = changes[0];
  std::size_t count = 0;
  for (const json& c : changes) {
    if (const json& commits = node_at(c, {"commits"}); commits.is_array()) count += commits.size();
  }
  const std::string ref = text_at(change, {"new", "name"});
  out.metadata["ref"] = bounded_text(ref);
  out.metadata["after_sha"] = scalar_at(change, {"new", "target", "hash"});
  out.metadata["commit_count"] = count;
  out.text = "push:pushed " + std::to_string(count) + " commits to " + ref + " - " +
             first_line(text_at(change, {"new", "target", "message"}));
}

// Data Center: changes[] name the refs and hashes, without commits.
void add_data_center_push(const json& body, PlatformMessage& out) {
  static const json kNone;
  const json& changes = node_at(body, {"changes"});
  const json& change = changes.is_array() && !changes.empty() ? changes[0] : kNone;
  const std::string ref = text_at(change, {"ref", "displayId"});
  out.metadata["ref"] = bounded_text(ref);
  out.metadata["after_sha"] = scalar_at(change, {"toHash"});
  out.text = "push:pushed to " + ref;
}

void add_cloud_issue(const json& body, PlatformMessage& out) {
  const json& issue = node_at(body, {"issue"});
  out.metadata["issue_number"] = scalar_at(issue, {"id"});
  out.metadata["issue_title"] = scalar_at(issue, {"title"});
  out.text = "issue:" + out.action + ":#" + text_at(issue, {"id"}) + " " +
             text_at(issue, {"title"}) + " - " + first_line(text_at(issue, {"content", "raw"}));
}

Status add_details(const json& body, const Flavor& flavor, PlatformMessage& out) {
  const json& pr = node_at(body, {flavor.pull_request});
  const bool pr_event = out.event == (flavor.data_center ? "pr" : "pullrequest");
  if (pr_event || pr.is_object()) {
    if (auto added = add_pull_request(pr, flavor, out); !added.ok()) return added;
  }
  if (out.action.find("comment") != std::string::npos) return add_comment(body, flavor, out);
  if (pr_event) return ok_status();
  const std::string key = out.event + ":" + out.action;
  if (key == "repo:push") {
    add_cloud_push(body, out);
  } else if (key == "repo:refs_changed") {
    add_data_center_push(body, out);
  } else if (out.event == "issue" && node_at(body, {"issue"}).is_object()) {
    add_cloud_issue(body, out);
  } else {
    out.text = key;
  }
  return ok_status();
}

// "pullrequest:created" → pullrequest / created, keys [the key, pullrequest.created,
// pullrequest]; a key without ':' is its own event.
Result<PlatformMessage> message_for_key(const std::string& key) {
  PlatformMessage out;
  const std::size_t colon = key.find(':');
  out.event = key.substr(0, colon);
  if (out.event.empty()) return malformed("invalid X-Event-Key header");
  out.binding_keys.push_back(key);
  if (colon != std::string::npos && colon + 1 < key.size()) {
    out.action = key.substr(colon + 1);
    out.binding_keys.push_back(out.event + "." + out.action);
    out.binding_keys.push_back(out.event);
  }
  return out;
}

Result<PlatformMessage> message_of(const std::string& key, const json& body) {
  auto out = message_for_key(key);
  if (!out.ok()) return out.error();
  const Flavor flavor = flavor_of(body);
  if (auto read = flavor.data_center ? read_data_center_repository(body, *out)
                                     : read_cloud_repository(body, *out);
      !read.ok()) {
    return read.error();
  }
  out->channel_id = out->repository;
  out->user = user_of(node_at(body, {"actor"}), flavor);
  out->metadata = {{"event_type", out->event},
                   {"action", out->action.empty() ? json(nullptr) : json(out->action)},
                   {"event_key", key},
                   {"repo_full_name", out->repository}};
  if (auto added = add_details(body, flavor, *out); !added.ok()) return added.error();
  return out;
}

}  // namespace

Result<PlatformMessage> parse_bitbucket(const IngressRequest& request) {
  auto key = required_header(request, "x-event-key", "X-Event-Key");
  if (!key.ok()) return key.error();
  if (!is_token(*key)) return malformed("invalid X-Event-Key header");
  auto delivery = delivery_header(request, {"x-request-uuid", "x-request-id"});
  if (!delivery.ok()) return delivery.error();
  if (*key == "diagnostics:ping") {
    PlatformMessage pong;
    pong.kind = PlatformMessage::Kind::kHandshake;
    pong.handshake = json_answer(200, {{"status", "pong"}});
    return pong;
  }
  auto parsed = parse_json_object(request.body);
  if (!parsed.ok()) return parsed.error();
  auto message = message_of(*key, *parsed);
  if (!message.ok()) return message.error();
  message->delivery_id = std::move(*delivery);
  return message;
}

}  // namespace aof::ingest
