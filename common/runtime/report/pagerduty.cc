// PagerDuty: a note on the incident (channel_id = incident id; reference §3.7). REST API v2
// wants "Token token=<key>" and a From header with a valid PagerDuty user's email
// (platforms.pagerduty.from).
#include "common/runtime/report/platform_requests.h"

namespace aof::runtime::report {

Built pagerduty_request(const event::Envelope& envelope, const ReportText& text,
                        const PlatformAccess& access, Skip* skip) {
  auto from = access.settings.find("from");
  if (envelope.channel_id.empty()) {
    *skip = {"no incident id", false};
    return std::nullopt;
  }
  if (access.token.empty() || from == access.settings.end() || from->second.empty()) {
    *skip = {"no token or from (platforms.pagerduty)", true};
    return std::nullopt;
  }
  return json_post(base_url(access.api_url, "https://api.pagerduty.com") + "/incidents/" +
                       envelope.channel_id + "/notes",
                   {{"note", {{"content", decorated(text, 25000)}}}},
                   {{"Authorization", "Token token=" + access.token},
                    {"From", from->second},
                    {"Accept", "application/vnd.pagerduty+json;version=2"}});
}

}  // namespace aof::runtime::report
