// Discord: the sidecar answered the interaction with a deferred response ({"type":5}, the
// "thinking..." state); the result replaces it: PATCH
// /webhooks/<application_id>/<interaction_token>/messages/@original. Chosen over a follow-up
// POST because an edit is idempotent (a repeated PATCH shows one message, not two) and it
// ends the "thinking" state. The interaction token authenticates; no bot token is needed.
// Interaction tokens live 15 minutes: a later report is refused (404) and logged.
// A flow's message to a channel is a bot message: POST /channels/<id>/messages with the bot
// token, a reply (message_reference) when a thread message id is given.
#include <algorithm>
#include <cctype>

#include "common/runtime/report/platform_requests.h"

namespace aof::runtime::report {

Built discord_request(const event::Envelope& envelope, const ReportText& text,
                      const PlatformAccess& access, Skip* skip) {
  std::string application = metadata_text(envelope, "application_id");
  if (application.empty()) {
    auto it = access.settings.find("application_id");
    if (it != access.settings.end()) application = it->second;
  }
  const std::string token = metadata_text(envelope, "interaction_token");
  if (application.empty() || token.empty()) {
    *skip = {"no application_id or interaction_token", false};
    return std::nullopt;
  }
  auto request = json_post(base_url(access.api_url, "https://discord.com/api/v10") + "/webhooks/" +
                               application + "/" + token + "/messages/@original",
                           {{"content", decorated(text, 2000)}}, {});
  request.method = "PATCH";
  return request;
}

namespace {

// Discord ids are snowflakes: digits only. Anything else must not reach the URL path.
bool is_snowflake(const std::string& id) {
  return !id.empty() && id.size() <= 24 &&
         std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

Built discord_message_request(const ChannelMessage& message, const PlatformAccess& access,
                              Skip* skip) {
  if (access.token.empty()) {
    *skip = {"no token (platforms.discord.bot_token)", true};
    return std::nullopt;
  }
  if (!is_snowflake(message.channel) ||
      (!message.thread.empty() && !is_snowflake(message.thread))) {
    *skip = {"a Discord channel (and thread message) is a numeric id", false};
    return std::nullopt;
  }
  nlohmann::json body = {{"content", bounded(message.text, 2000)}};
  if (!message.thread.empty()) body["message_reference"] = {{"message_id", message.thread}};
  return json_post(base_url(access.api_url, "https://discord.com/api/v10") + "/channels/" +
                       message.channel + "/messages",
                   body, {{"Authorization", "Bot " + access.token}});
}

}  // namespace aof::runtime::report
