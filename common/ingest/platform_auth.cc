#include "common/ingest/github_auth.h"

#include "common/ingest/verify/hub_signature.h"

namespace aof::ingest {
namespace {

// Whether `secrets` verify the request; records the label that did.
bool verifies(const std::vector<config::Secret>& secrets, const verify::Headers& headers,
              std::string_view body, std::int64_t now, GithubAuth& auth) {
  if (secrets.empty()) return false;
  const verify::VerifyResult result = verify::verify_github(headers, body, secrets, now);
  if (result.ok()) auth.verified_by.push_back(result.secret_label);
  return result.ok();
}

}  // namespace

GithubAuth authorize_github(const GithubSettings& github, const verify::Headers& headers,
                            std::string_view body, std::int64_t now_unix_secs) {
  GithubAuth auth;
  const bool open_platform = github.secrets.empty() && github.insecure;
  bool platform_ok = open_platform;
  if (!open_platform) {
    const verify::VerifyResult result =
        verify::verify_github(headers, body, github.secrets, now_unix_secs);
    platform_ok = result.ok();
    if (platform_ok) auth.verified_by.push_back(result.secret_label);
    auth.refused = result.outcome;
  }
  auth.authenticated = platform_ok;
  for (const GithubTriggerSettings& t : github.triggers) {
    const bool own = !t.secrets.empty();
    const bool admitted =
        own ? verifies(t.secrets, headers, body, now_unix_secs, auth) : platform_ok;
    if (!admitted) continue;
    auth.triggers.push_back(&t.trigger);
    auth.authenticated = true;
  }
  if (auth.authenticated) auth.refused = verify::Outcome::kVerified;
  return auth;
}

}  // namespace aof::ingest
