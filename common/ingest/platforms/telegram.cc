#include "common/ingest/platforms/telegram.h"

#include "common/ingest/bounded_json.h"
#include "common/ingest/platforms/request_read.h"
#include "common/ingest/platforms/json_read.h"

namespace aof::ingest {
namespace {

using nlohmann::json;

json user_of(const json& from) {
  std::string name = text_at(from, {"username"});
  if (name.empty()) name = text_at(from, {"first_name"});
  return {{"id", text_at(from, {"id"})}, {"username", name}};
}

PlatformMessage message_from(const json& update, const json& message, const std::string& text) {
  PlatformMessage out;
  out.event = "message";
  out.delivery_id = text_at(update, {"update_id"});
  out.text = text;
  out.channel_id = text_at(message, {"chat", "id"});
  out.tenant = out.channel_id;
  out.thread_id = text_at(message, {"message_thread_id"});
  out.metadata = {{"chat_type", text_at(message, {"chat", "type"})},
                  {"update_id", out.delivery_id},
                  {"message_id", text_at(message, {"message_id"})}};
  return out;
}

Result<PlatformMessage> from_message(const json& update) {
  const json& message = node_at(update, {"message"});
  if (!message.is_object() || !node_at(message, {"chat", "id"}).is_number_integer() ||
      !node_at(message, {"from"}).is_object()) {
    return malformed("telegram message without chat.id or from");
  }
  if (node_at(message, {"from", "is_bot"}) == true) {
    return ignored_message("message from a bot (an agent never triggers itself)");
  }
  PlatformMessage out = message_from(update, message, text_at(message, {"text"}));
  out.user = user_of(message["from"]);
  return out;
}

Result<PlatformMessage> from_callback(const json& update) {
  const json& callback = node_at(update, {"callback_query"});
  if (!callback.is_object() || !node_at(callback, {"from"}).is_object()) {
    return malformed("telegram callback_query without from");
  }
  PlatformMessage out = message_from(update, node_at(callback, {"message"}),
                                     "callback:" + text_at(callback, {"data"}));
  out.event = "callback_query";
  out.user = user_of(callback["from"]);
  out.metadata["callback_query_id"] = text_at(callback, {"id"});
  return out;
}

}  // namespace

Result<PlatformMessage> parse_telegram(const IngressRequest& request) {
  auto parsed = parse_json_object(request.body);
  if (!parsed.ok()) return parsed.error();
  const json& update = *parsed;
  if (!node_at(update, {"update_id"}).is_number_integer()) {
    return malformed("telegram update without a numeric update_id");
  }
  if (update.contains("message")) return from_message(update);
  if (update.contains("callback_query")) return from_callback(update);
  return ignored_message("telegram update kind is not handled");
}

}  // namespace aof::ingest
