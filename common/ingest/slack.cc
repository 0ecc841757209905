#include "common/ingest/slack.h"

#include <algorithm>

#include "common/event/body_codec.h"
#include "common/ingest/bounded_json.h"
#include "common/ingest/platforms/request_read.h"
#include "common/queue/url_text.h"

namespace aof::ingest {
namespace {

using nlohmann::json;
using Kind = SlackRequest::Kind;

std::string text_at(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

SlackRequest ignored(std::string reason) {
  SlackRequest out;
  out.kind = Kind::kIgnored;
  out.ignored_reason = std::move(reason);
  return out;
}

// application/x-www-form-urlencoded: '+' is a space, then %XX escapes.
Result<std::string> url_decode(std::string_view text) {
  std::string spaced(text);
  std::replace(spaced.begin(), spaced.end(), '+', ' ');
  auto decoded = queue::percent_decode(spaced);
  if (!decoded) return malformed("malformed %-escape in the form body");
  return std::move(*decoded);
}

// event_callback: app_mention, message (not edits or bots), reaction_added.
Result<SlackRequest> from_event(const json& body) {
  const json& event = body.contains("event") ? body["event"] : json();
  if (!event.is_object()) return malformed("event_callback without an event object");
  SlackRequest out;
  out.kind = Kind::kMessage;
  out.event = text_at(event, "type");
  out.delivery_id = text_at(body, "event_id");
  out.team_id = text_at(body, "team_id");
  if (!text_at(event, "bot_id").empty() || text_at(event, "subtype") == "bot_message") {
    return ignored("bot-authored message (an agent never triggers itself)");
  }
  out.metadata["team_id"] = out.team_id;
  out.metadata["event_type"] = out.event;
  const std::string user = text_at(event, "user");
  out.user = {{"id", user}, {"username", user}};
  if (out.event == "app_mention" || out.event == "message") {
    if (!text_at(event, "subtype").empty()) {
      return ignored("message subtype " + text_at(event, "subtype") + " is not a new message");
    }
    if (user.empty() || text_at(event, "channel").empty() || text_at(event, "ts").empty()) {
      return malformed("slack " + out.event + " without user, channel or ts");
    }
    out.text = text_at(event, "text");
    out.channel_id = text_at(event, "channel");
    const std::string thread = text_at(event, "thread_ts");
    out.thread_id = thread.empty() ? text_at(event, "ts") : thread;
    return out;
  }
  if (out.event == "reaction_added") {
    const json& item = event.contains("item") ? event["item"] : json();
    out.text = "reaction:" + text_at(event, "reaction");
    out.channel_id = text_at(item, "channel");
    out.thread_id = text_at(item, "ts");
    out.metadata["reaction"] = text_at(event, "reaction");
    out.metadata["item_ts"] = text_at(item, "ts");
    return out;
  }
  return ignored("slack event " + (out.event.empty() ? std::string("(no type)") : out.event) +
                 " is not handled");
}

Result<SlackRequest> from_json(std::string_view body) {
  auto parsed = parse_json_object(body);
  if (!parsed.ok()) return parsed.error();
  const std::string type = text_at(*parsed, "type");
  if (type == "url_verification") {
    SlackRequest out;
    out.kind = Kind::kUrlVerification;
    out.challenge = text_at(*parsed, "challenge");
    if (out.challenge.empty() || out.challenge.size() > 512) {
      return malformed("url_verification without a usable challenge");
    }
    return out;
  }
  if (type == "event_callback") return from_event(*parsed);
  return ignored("slack request type " + (type.empty() ? std::string("(none)") : type) +
                 " is not handled");
}

Result<SlackRequest> from_slash_command(std::string_view body) {
  SlackRequest out;
  out.kind = Kind::kMessage;
  out.event = "slash_command";
  std::map<std::string, std::string> fields;
  for (const char* name : {"command", "text", "user_id", "user_name", "channel_id",
                           "channel_name", "team_id", "response_url", "trigger_id"}) {
    auto value = form_value(body, name);
    if (!value.ok()) return value.error();
    fields[name] = value->value_or("");
  }
  if (fields["command"].size() < 2 || fields["command"].front() != '/' ||
      fields["user_id"].empty() || fields["channel_id"].empty()) {
    return malformed("slash command without command, user_id or channel_id");
  }
  out.command = fields["command"].substr(1);
  out.text = fields["text"];
  out.delivery_id = fields["trigger_id"];
  out.team_id = fields["team_id"];
  out.channel_id = fields["channel_id"];
  out.user = {{"id", fields["user_id"]}, {"username", fields["user_name"]}};
  out.metadata = {{"team_id", out.team_id},
                  {"event_type", "slash_command"},
                  {"command", fields["command"]},
                  {"channel_name", fields["channel_name"]},
                  {"response_url", fields["response_url"]},
                  {"trigger_id", fields["trigger_id"]}};
  return out;
}

// Interactive components: block_actions (buttons, menus). Other payload types are ignored.
Result<SlackRequest> from_interaction(const std::string& payload) {
  auto parsed = parse_json_object(payload);
  if (!parsed.ok()) return malformed("interactive payload: " + parsed.error().message());
  const json& p = *parsed;
  const std::string type = text_at(p, "type");
  if (type != "block_actions") return ignored("slack interaction " + type + " is not handled");
  const json& actions = p.contains("actions") ? p["actions"] : json();
  if (!actions.is_array() || actions.empty() || !actions[0].is_object()) {
    return malformed("block_actions without actions");
  }
  SlackRequest out;
  out.kind = Kind::kMessage;
  out.event = "block_actions";
  out.delivery_id = text_at(p, "trigger_id");
  out.team_id = text_at(p.value("team", json::object()), "id");
  out.channel_id = text_at(p.value("channel", json::object()), "id");
  out.thread_id = text_at(p.value("message", json::object()), "ts");
  const json user = p.value("user", json::object());
  out.user = {{"id", text_at(user, "id")}, {"username", text_at(user, "username")}};
  const std::string action_id = text_at(actions[0], "action_id");
  out.text = action_id + ":" + text_at(actions[0], "value");
  out.metadata = {{"team_id", out.team_id},
                  {"event_type", "block_actions"},
                  {"action_id", action_id},
                  {"trigger_id", out.delivery_id},
                  {"response_url", text_at(p, "response_url")}};
  return out;
}

}  // namespace

Result<std::optional<std::string>> form_value(std::string_view body, std::string_view name) {
  std::size_t start = 0;
  while (start <= body.size()) {
    const std::size_t end = std::min(body.find('&', start), body.size());
    const std::string_view pair = body.substr(start, end - start);
    const std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      auto decoded = url_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
      if (!decoded.ok()) return decoded.error();
      return std::optional<std::string>(std::move(*decoded));
    }
    start = end + 1;
  }
  return std::optional<std::string>();
}

Result<SlackRequest> parse_slack(std::string_view content_type, std::string_view body) {
  if (!event::is_valid_utf8(body)) return malformed("body is not valid UTF-8");
  if (content_type.starts_with("application/x-www-form-urlencoded")) {
    auto payload = form_value(body, "payload");
    if (!payload.ok()) return payload.error();
    if (*payload) return from_interaction(**payload);
    return from_slash_command(body);
  }
  return from_json(body);
}

}  // namespace aof::ingest
