#include "common/ingest/platforms/generic.h"

#include "common/ingest/bounded_json.h"
#include "common/ingest/platforms/json_read.h"
#include "common/ingest/platforms/request_read.h"
#include "common/ingest/settings.h"

namespace aof::ingest {
namespace {

constexpr const char* kDefaultEvent = "webhook";

// The configured header's value as a token; "" when not configured or not sent.
Result<std::string> configured_header(const IngressRequest& request, const std::string& name) {
  if (name.empty()) return std::string();
  return delivery_header(request, {name.c_str()});
}

// The body's "text" when it is a JSON object that has one.
std::string text_of(const std::string& body) {
  const auto parsed = parse_json_object(body);
  if (!parsed.ok()) return "";
  const nlohmann::json& text = node_at(*parsed, {"text"});
  return text.is_string() ? text.get<std::string>() : "";
}

}  // namespace

Result<PlatformMessage> parse_generic(const PlatformSettings& platform,
                                      const IngressRequest& request) {
  auto event = configured_header(request, platform.event_header);
  if (!event.ok()) return event.error();
  auto delivery = configured_header(request, platform.delivery_header);
  if (!delivery.ok()) return delivery.error();
  PlatformMessage out;
  out.event = event->empty() ? kDefaultEvent : std::move(*event);
  out.binding_keys = {out.event};
  out.delivery_id = std::move(*delivery);
  out.text = text_of(request.body);
  out.metadata = {{"event_type", out.event}};
  return out;
}

}  // namespace aof::ingest
