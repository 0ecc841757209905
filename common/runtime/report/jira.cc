// Jira: a comment on the ISSUE (thread_id = issue key). AOF posts to channel_id, the project
// key, and sends a plain string where REST v3 wants Atlassian Document Format; both fixed
// here (reference §3.6). Basic auth with user_email:api_token.
#include <openssl/evp.h>

#include "common/runtime/report/platform_requests.h"

namespace aof::runtime::report {
namespace {

std::string base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string setting(const PlatformAccess& access, const char* key) {
  auto it = access.settings.find(key);
  return it == access.settings.end() ? "" : it->second;
}

// api_url, else AOF's base_url, else the cloud id's gateway URL.
std::string jira_base(const PlatformAccess& access) {
  if (!access.api_url.empty()) return base_url(access.api_url, "");
  if (auto base = setting(access, "base_url"); !base.empty()) return base_url(base, "");
  if (auto cloud = setting(access, "cloud_id"); !cloud.empty()) {
    return "https://api.atlassian.com/ex/jira/" + cloud;
  }
  return "";
}

}  // namespace

Built jira_request(const event::Envelope& envelope, const ReportText& text,
                   const PlatformAccess& access, Skip* skip) {
  std::string issue = envelope.thread_id;
  if (issue.empty()) issue = metadata_text(envelope, "issue_key");
  const std::string base = jira_base(access);
  const std::string email = setting(access, "user_email");
  if (issue.empty() || base.empty()) {
    *skip = {"no issue key or no base_url", false};
    return std::nullopt;
  }
  if (access.token.empty() || email.empty()) {
    *skip = {"no api_token or user_email (platforms.jira)", true};
    return std::nullopt;
  }
  const nlohmann::json adf = {
      {"type", "doc"},
      {"version", 1},
      {"content",
       {{{"type", "paragraph"},
         {"content", {{{"type", "text"}, {"text", decorated(text, 32767)}}}}}}}};
  return json_post(base + "/rest/api/3/issue/" + issue + "/comment", {{"body", adf}},
                   {{"Authorization", "Basic " + base64(email + ":" + access.token)},
                    {"Accept", "application/json"}});
}

}  // namespace aof::runtime::report
