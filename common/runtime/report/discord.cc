// Discord: the sidecar answered the interaction with a deferred response ({"type":5}, the
// "thinking..." state); the result replaces it: PATCH
// /webhooks/<application_id>/<interaction_token>/messages/@original. Chosen over a follow-up
// POST because an edit is idempotent (a repeated PATCH shows one message, not two) and it
// ends the "thinking" state. The interaction token authenticates; no bot token is needed.
// Interaction tokens live 15 minutes: a later report is refused (404) and logged.
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

}  // namespace aof::runtime::report
