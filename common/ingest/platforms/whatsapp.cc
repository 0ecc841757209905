#include "common/ingest/platforms/whatsapp.h"

#include "common/ingest/answers.h"
#include "common/ingest/bounded_json.h"
#include "common/ingest/platforms/request_read.h"
#include "common/ingest/platforms/json_read.h"
#include "common/ingest/settings.h"
#include "common/ingest/verify/verify.h"

namespace aof::ingest {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxChallengeBytes = 256;

std::string query(const IngressRequest& request, const char* name) {
  const auto it = request.query.find(name);
  return it == request.query.end() ? std::string() : it->second;
}

// The first change whose field is "messages".
const json* messages_change(const json& body) {
  const json& entries = node_at(body, {"entry"});
  if (!entries.is_array()) return nullptr;
  for (const json& entry : entries) {
    const json& changes = node_at(entry, {"changes"});
    if (!changes.is_array()) continue;
    for (const json& change : changes) {
      if (text_at(change, {"field"}) == "messages" && node_at(change, {"value"}).is_object()) {
        return &change["value"];
      }
    }
  }
  return nullptr;
}

// The routed text of one message, or "" for kinds nothing runs for (media, reactions).
std::string message_text(const json& message) {
  const std::string type = text_at(message, {"type"});
  if (type == "text") return text_at(message, {"text", "body"});
  if (type == "button") return "button:" + text_at(message, {"button", "payload"});
  if (type == "interactive") {
    const std::string kind = text_at(message, {"interactive", "type"});
    if (kind == "button_reply") {
      return "button:" + text_at(message, {"interactive", "button_reply", "id"});
    }
    if (kind == "list_reply") return "list:" + text_at(message, {"interactive", "list_reply", "id"});
  }
  return "";
}

std::string sender_name(const json& value, const std::string& from) {
  const json& contacts = node_at(value, {"contacts"});
  if (!contacts.is_array()) return from;
  for (const json& contact : contacts) {
    if (text_at(contact, {"wa_id"}) == from) return text_at(contact, {"profile", "name"});
  }
  return from;
}

}  // namespace

Result<PlatformMessage> parse_whatsapp(const IngressRequest& request) {
  auto parsed = parse_json_object(request.body);
  if (!parsed.ok()) return parsed.error();
  if (text_at(*parsed, {"object"}) != "whatsapp_business_account") {
    return malformed("not a whatsapp_business_account notification");
  }
  const json* value = messages_change(*parsed);
  if (value == nullptr) return ignored_message("no messages change in the notification");
  const json& messages = node_at(*value, {"messages"});
  if (!messages.is_array() || messages.empty()) {
    return ignored_message("status update (no message)");
  }
  const json& message = messages[0];
  const std::string from = text_at(message, {"from"});
  const std::string id = text_at(message, {"id"});
  if (from.empty() || id.empty()) return malformed("whatsapp message without from or id");
  const std::string text = message_text(message);
  if (text.empty()) {
    return ignored_message("whatsapp " + text_at(message, {"type"}) + " message is not handled");
  }
  PlatformMessage out;
  out.event = text_at(message, {"type"});
  out.delivery_id = id;
  out.text = text;
  out.channel_id = from;
  out.tenant = text_at(*value, {"metadata", "phone_number_id"});
  out.user = {{"id", from}, {"username", sender_name(*value, from)}};
  out.metadata = {{"phone_number_id", out.tenant},
                  {"display_phone_number", text_at(*value, {"metadata", "display_phone_number"})},
                  {"message_id", id},
                  {"message_type", out.event}};
  return out;
}

IngressResponse whatsapp_handshake(const PlatformSettings& platform, const IngressRequest& request) {
  const std::string challenge = query(request, "hub.challenge");
  if (query(request, "hub.mode") != "subscribe" || challenge.empty() ||
      challenge.size() > kMaxChallengeBytes) {
    return error_answer(400, "expected hub.mode=subscribe with a hub.challenge");
  }
  const auto verified = verify::verify_token(platform.verify_tokens, 0,
                                             query(request, "hub.verify_token"));
  if (!verified.ok()) return error_answer(403, "hub.verify_token does not match");
  IngressResponse response;
  response.status = 200;
  response.content_type = "text/plain";
  response.body = challenge;
  return response;
}

}  // namespace aof::ingest
