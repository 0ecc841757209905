#include "common/ingest/platforms/pagerduty.h"

#include "common/ingest/answers.h"
#include "common/ingest/bounded_json.h"
#include "common/ingest/envelope_parts.h"
#include "common/ingest/platforms/json_read.h"
#include "common/ingest/platforms/request_read.h"

namespace aof::ingest {
namespace {

using nlohmann::json;

PlatformMessage pong() {
  PlatformMessage out;
  out.kind = PlatformMessage::Kind::kHandshake;
  out.handshake = json_answer(200, {{"status", "pong"}});
  return out;
}

// The incident the event is about: the incident its data refers to (an annotation's
// data.incident), else its data.
const json& incident_of(const json& event) {
  const json& referred = node_at(event, {"data", "incident"});
  return referred.is_object() ? referred : node_at(event, {"data"});
}

// An incident's title; a reference to one has only its summary.
std::string title_of(const json& incident) {
  std::string title = text_at(incident, {"title"});
  return title.empty() ? text_at(incident, {"summary"}) : title;
}

void add_incident(const json& event, PlatformMessage& out) {
  const json& incident = incident_of(event);
  const json& data = node_at(event, {"data"});
  const json& service = node_at(incident, {"service"}).is_object() ? node_at(incident, {"service"})
                                                                   : node_at(data, {"service"});
  json& m = out.metadata;
  m["incident_id"] = scalar_at(incident, {"id"});
  m["incident_number"] = scalar_at(incident, {"number"});
  m["incident_key"] = scalar_at(incident, {"incident_key"});
  m["title"] = bounded_text(title_of(incident));
  m["status"] = scalar_at(incident, {"status"});
  m["urgency"] = scalar_at(incident, {"urgency"});
  m["priority"] = scalar_at(incident, {"priority", "summary"});
  m["html_url"] = scalar_at(incident, {"html_url"});
  // A string always: the service_ids filter compares it as text.
  m["service_id"] = bounded_text(text_at(service, {"id"}));
  m["service_name"] = scalar_at(service, {"summary"});
  out.tenant = m["service_id"].get<std::string>();
  out.channel_id = bounded_text(text_at(incident, {"id"}));
  const json& note = node_at(data, {"content"});
  out.text = note.is_string() && out.event == "incident" && out.action == "annotated"
                 ? note.get<std::string>()
                 : title_of(incident);
}

Result<PlatformMessage> message_of(const json& event) {
  PlatformMessage out;
  const std::string type = text_at(event, {"event_type"});
  const std::size_t dot = type.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == type.size()) {
    return malformed("pagerduty event_type is not <resource>.<action>");
  }
  out.event = type.substr(0, dot);
  out.action = type.substr(dot + 1);
  out.binding_keys = {type, out.event};
  out.delivery_id = text_at(event, {"id"});
  out.user = {{"id", bounded_text(text_at(event, {"agent", "id"}))},
              {"username", bounded_text(text_at(event, {"agent", "summary"}))}};
  out.metadata = {{"event_type", type},
                  {"action", out.action},
                  {"resource_type", scalar_at(event, {"resource_type"})},
                  {"occurred_at", scalar_at(event, {"occurred_at"})},
                  {"agent_id", out.user["id"]}};
  add_incident(event, out);
  return out;
}

}  // namespace

Result<PlatformMessage> parse_pagerduty(const IngressRequest& request) {
  auto parsed = parse_json_object(request.body);
  if (!parsed.ok()) return parsed.error();
  const json& event = node_at(*parsed, {"event"});
  if (!event.is_object()) return malformed("pagerduty payload without an event object");
  const json& type = node_at(event, {"event_type"});
  const json& id = node_at(event, {"id"});
  if (!type.is_string() || !is_token(type.get_ref<const std::string&>())) {
    return malformed("pagerduty event without an event_type");
  }
  if (!id.is_string() || !is_token(id.get_ref<const std::string&>())) {
    return malformed("pagerduty event without an id");
  }
  if (type == "pagey.ping") return pong();
  return message_of(event);
}

}  // namespace aof::ingest
