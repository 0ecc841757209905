#include "common/ingest/github_auth.h"

#include "common/ingest/github.h"
#include "common/ingest/signature.h"

namespace aof::ingest {
namespace {

// Whether `secrets` verify the request; records the label that did.
bool verifies(const std::vector<config::Secret>& secrets, std::optional<std::string_view> hex,
              std::string_view body, std::int64_t now, GithubAuth& auth) {
  if (!hex || secrets.empty()) return false;
  const auto verified = verify_hmac_sha256_hex(secrets, body, *hex, now);
  if (verified) auth.verified_by.push_back(verified->label);
  return verified.has_value();
}

}  // namespace

GithubAuth authorize_github(const GithubSettings& github,
                            std::optional<std::string_view> signature_header, std::string_view body,
                            std::int64_t now_unix_secs) {
  GithubAuth auth;
  std::optional<std::string_view> hex;
  if (signature_header) hex = github_signature_hex(*signature_header);
  const bool open_platform = github.secrets.empty() && github.insecure;
  const bool platform_ok =
      open_platform || verifies(github.secrets, hex, body, now_unix_secs, auth);
  auth.authenticated = platform_ok;
  for (const GithubTriggerSettings& t : github.triggers) {
    const bool own = !t.secrets.empty();
    const bool admitted = own ? verifies(t.secrets, hex, body, now_unix_secs, auth) : platform_ok;
    if (!admitted) continue;
    auth.triggers.push_back(&t.trigger);
    auth.authenticated = true;
  }
  return auth;
}

}  // namespace aof::ingest
