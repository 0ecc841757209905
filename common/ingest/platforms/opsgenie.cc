#include "common/ingest/platforms/opsgenie.h"

#include <algorithm>
#include <cctype>

#include "common/base/digest.h"
#include "common/ingest/bounded_json.h"
#include "common/ingest/envelope_parts.h"
#include "common/ingest/platforms/json_read.h"
#include "common/ingest/platforms/request_read.h"

namespace aof::ingest {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxActionBytes = 64;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// AOF's past-tense verbs for the common actions; other actions as sent, lower-cased.
std::string verb_of(const std::string& action) {
  if (action == "create") return "created";
  if (action == "acknowledge") return "acknowledged";
  if (action == "close") return "closed";
  if (action == "escalate") return "escalated";
  return action;
}

std::string text_of(const json& alert, const std::string& action) {
  const std::string id = text_at(alert, {"tinyId"});
  const std::string message = text_at(alert, {"message"});
  if (action == "addnote") {
    const std::string line = first_line(text_at(alert, {"note"}));
    return !line.empty() && line.front() == '/' ? line : "alert:note:" + id + " " + line;
  }
  std::string text = "alert:" + verb_of(action) + ":" + id + " " + message;
  if (action == "create") text += " - " + first_line(text_at(alert, {"description"}));
  return text;
}

// See opsgenie.h: dedups retries, never two distinct actions.
std::string delivery_of(const json& alert, const std::string& sent, std::string_view body) {
  const json& updated = node_at(alert, {"updatedAt"});
  const std::string when =
      updated.is_number_integer() ? text_at(alert, {"updatedAt"}) : "sha256:" + sha256_hex(body);
  return text_at(alert, {"alertId"}) + ":" + sent + ":" + when;
}

json metadata_of(const json& body, const json& alert, const std::string& sent) {
  return {{"action", sent},
          {"alert_id", scalar_at(alert, {"alertId"})},
          {"tiny_id", scalar_at(alert, {"tinyId"})},
          {"alias", scalar_at(alert, {"alias"})},
          {"message", scalar_at(alert, {"message"})},
          {"description", scalar_at(alert, {"description"})},
          {"priority", scalar_at(alert, {"priority"})},
          {"tags", strings_at(alert, {"tags"})},
          {"source", scalar_at(alert, {"source"})},
          {"entity", scalar_at(alert, {"entity"})},
          {"note", scalar_at(alert, {"note"})},
          {"username", scalar_at(alert, {"username"})},
          {"integration_id", scalar_at(body, {"integrationId"})},
          {"integration_name", scalar_at(body, {"integrationName"})}};
}

}  // namespace

Result<PlatformMessage> parse_opsgenie(const IngressRequest& request) {
  auto parsed = parse_json_object(request.body);
  if (!parsed.ok()) return parsed.error();
  const json& body = *parsed;
  const json& action = node_at(body, {"action"});
  const json& alert = node_at(body, {"alert"});
  if (!action.is_string() || !is_token(action.get_ref<const std::string&>(), kMaxActionBytes)) {
    return malformed("opsgenie payload without an action");
  }
  if (!alert.is_object()) return malformed("opsgenie payload without an alert object");
  const json& alert_id = node_at(alert, {"alertId"});
  if (!alert_id.is_string() || !is_token(alert_id.get_ref<const std::string&>())) {
    return malformed("opsgenie alert without an alertId");
  }
  const std::string sent = action.get<std::string>();
  PlatformMessage out;
  out.event = "alert";
  out.action = lower(sent);
  out.binding_keys = {sent, "alert." + out.action, "alert"};
  out.delivery_id = delivery_of(alert, sent, request.body);
  out.text = text_of(alert, out.action);
  out.channel_id = alert_id.get<std::string>();
  out.tenant = bounded_text(text_at(body, {"integrationId"}));
  out.user = {{"id", bounded_text(text_at(alert, {"userId"}))},
              {"username", bounded_text(text_at(alert, {"username"}))}};
  out.metadata = metadata_of(body, alert, sent);
  return out;
}

}  // namespace aof::ingest
