#include "common/ingest/platforms/discord.h"

#include "common/ingest/answers.h"
#include "common/ingest/bounded_json.h"
#include "common/ingest/platforms/request_read.h"
#include "common/ingest/platforms/json_read.h"

namespace aof::ingest {
namespace {

using nlohmann::json;

constexpr int kPing = 1;
constexpr int kApplicationCommand = 2;
constexpr int kMessageComponent = 3;
constexpr int kAutocomplete = 4;
constexpr int kModalSubmit = 5;
constexpr int kEphemeralFlag = 64;

PlatformMessage handshake(json body) {
  PlatformMessage out;
  out.kind = PlatformMessage::Kind::kHandshake;
  out.handshake = json_answer(200, body);
  return out;
}

// AOF's text for a command's options: "opt=value" pairs separated by spaces; sub-commands
// contribute their name and their own options.
std::string options_text(const json& options) {
  std::string out;
  if (!options.is_array()) return out;
  for (const json& option : options) {
    const std::string name = text_at(option, {"name"});
    std::string part = option.contains("options") ? name + " " + options_text(option["options"])
                                                  : name + "=" + text_at(option, {"value"});
    if (!out.empty()) out += " ";
    out += part;
  }
  return out;
}

json user_of(const json& interaction) {
  const json& user = node_at(interaction, {"member", "user"}).is_object()
                         ? node_at(interaction, {"member", "user"})
                         : node_at(interaction, {"user"});
  return {{"id", text_at(user, {"id"})}, {"username", text_at(user, {"username"})}};
}

PlatformMessage message_of(const json& interaction, int type) {
  PlatformMessage out;
  out.delivery_id = text_at(interaction, {"id"});
  out.tenant = text_at(interaction, {"guild_id"});
  out.channel_id = text_at(interaction, {"channel_id"});
  if (out.channel_id.empty()) out.channel_id = text_at(interaction, {"channel", "id"});
  out.user = user_of(interaction);
  out.metadata = {{"interaction_id", out.delivery_id},
                  {"interaction_token", text_at(interaction, {"token"})},
                  {"interaction_type", type},
                  {"application_id", text_at(interaction, {"application_id"})},
                  {"guild_id", out.tenant}};
  return out;
}

}  // namespace

Result<PlatformMessage> parse_discord(const IngressRequest& request) {
  auto parsed = parse_json_object(request.body);
  if (!parsed.ok()) return parsed.error();
  const json& interaction = *parsed;
  const json& type_node = node_at(interaction, {"type"});
  if (!type_node.is_number_integer()) return malformed("discord interaction without a type");
  const int type = type_node.get<int>();
  if (type == kPing) return handshake({{"type", 1}});
  if (type == kAutocomplete) return handshake({{"type", 8}, {"data", {{"choices", json::array()}}}});
  if (text_at(interaction, {"id"}).empty() || user_of(interaction)["id"] == "") {
    return malformed("discord interaction without an id or a user");
  }
  PlatformMessage out = message_of(interaction, type);
  const json& data = node_at(interaction, {"data"});
  switch (type) {
    case kApplicationCommand:
      out.event = "application_command";
      out.command = text_at(data, {"name"});
      if (out.command.empty()) return malformed("discord command without data.name");
      out.text = options_text(node_at(data, {"options"}));
      out.metadata["command"] = out.command;
      return out;
    case kMessageComponent:
      out.event = "message_component";
      out.text = "component:" + text_at(data, {"custom_id"});
      return out;
    case kModalSubmit:
      out.event = "modal_submit";
      out.text = "modal:" + text_at(data, {"custom_id"});
      return out;
    default:
      return ignored_message("discord interaction type " + std::to_string(type) +
                             " is not handled");
  }
}

IngressResponse discord_accepted(const event::Envelope& envelope) {
  return json_answer(200, {{"type", envelope.event == "message_component" ? 6 : 5}});
}

IngressResponse discord_ignored(std::string_view reason) {
  return json_answer(200, {{"type", 4},
                           {"data", {{"content", "Not run: " + std::string(reason)},
                                     {"flags", kEphemeralFlag}}}});
}

}  // namespace aof::ingest
