#include "common/ingest/platform_auth.h"

#include "common/ingest/verify/hub_signature.h"

namespace aof::ingest {

PlatformAuth authorize_platform(const std::vector<config::Secret>& secrets, bool insecure,
                                const std::vector<TriggerSettings>& triggers,
                                const Verifier& verify) {
  PlatformAuth auth;
  const bool open_platform = secrets.empty() && insecure;
  bool platform_ok = open_platform;
  if (!open_platform) {
    const verify::VerifyResult result = verify(secrets);
    platform_ok = result.ok();
    if (platform_ok) auth.verified_by.push_back(result.secret_label);
    auth.refused = result.outcome;
  }
  auth.authenticated = platform_ok;
  for (const TriggerSettings& t : triggers) {
    bool admitted = platform_ok;
    if (!t.secrets.empty()) {
      const verify::VerifyResult own = verify(t.secrets);
      if (own.ok()) auth.verified_by.push_back(own.secret_label);
      admitted = own.ok();
    }
    if (!admitted) continue;
    auth.triggers.push_back(&t.trigger);
    auth.admitted.push_back(&t);
    auth.authenticated = true;
  }
  if (auth.authenticated) auth.refused = verify::Outcome::kVerified;
  return auth;
}

PlatformAuth authorize_github(const GithubSettings& github, const verify::Headers& headers,
                              std::string_view body, std::int64_t now_unix_secs) {
  return authorize_platform(github.secrets, github.insecure, github.triggers,
                            [&](const verify::Secrets& secrets) {
                              return verify::verify_github(headers, body, secrets, now_unix_secs);
                            });
}

}  // namespace aof::ingest
