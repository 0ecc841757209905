// WhatsApp Cloud API: a text message back to the sender's phone from the business number the
// message arrived at (reference §3.4).
#include "common/runtime/report/platform_requests.h"

namespace aof::runtime::report {

Built whatsapp_request(const event::Envelope& envelope, const ReportText& text,
                       const PlatformAccess& access, Skip* skip) {
  std::string phone_number_id = metadata_text(envelope, "phone_number_id");
  if (phone_number_id.empty()) {
    auto it = access.settings.find("phone_number_id");
    if (it != access.settings.end()) phone_number_id = it->second;
  }
  if (envelope.channel_id.empty() || phone_number_id.empty()) {
    *skip = {"no sender phone or phone_number_id", false};
    return std::nullopt;
  }
  if (access.token.empty()) {
    *skip = {"no token (platforms.whatsapp.access_token)", true};
    return std::nullopt;
  }
  return json_post(base_url(access.api_url, "https://graph.facebook.com/v18.0") + "/" +
                       phone_number_id + "/messages",
                   {{"messaging_product", "whatsapp"},
                    {"to", envelope.channel_id},
                    {"type", "text"},
                    {"text", {{"body", decorated(text, 4096)}}}},
                   {{"Authorization", "Bearer " + access.token}});
}

}  // namespace aof::runtime::report
