#pragma once
// Which triggers a request's signature admits (DESIGN §6), for every platform: the
// platform's secrets admit every trigger without secrets of its own; a trigger with its own
// secrets admits only requests one of them verified, so one org's secret can never route
// into another org's trigger. The scheme itself (which header, what is signed) is the
// platform's function in common/ingest/verify/. Thread-safe, no I/O.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/resources.h"
#include "common/ingest/settings.h"
#include "common/ingest/verify/verify.h"

namespace aof::ingest {

struct PlatformAuth {
  bool authenticated = false;  // a secret verified it, or the platform is insecure and has
                               // no secret; false → 401
  std::vector<const config::Trigger*> triggers;  // triggers it may route into, name order;
                                                 // pointers into the settings
  std::vector<const TriggerSettings*> admitted;  // the same, with their filters
  std::vector<std::string> verified_by;          // labels of the secrets that verified, for
                                                 // debug logs (never the secrets)
  // When not authenticated: why the platform's secrets refused it (for the debug log).
  verify::Outcome refused = verify::Outcome::kVerified;
};
using GithubAuth = PlatformAuth;

// The platform's scheme applied to one set of secrets (the request is bound in).
using Verifier = std::function<verify::VerifyResult(const verify::Secrets&)>;

PlatformAuth authorize_platform(const std::vector<config::Secret>& secrets, bool insecure,
                                const std::vector<TriggerSettings>& triggers,
                                const Verifier& verify);

// GitHub: X-Hub-Signature-256 with verify::verify_github.
PlatformAuth authorize_github(const GithubSettings& github, const verify::Headers& headers,
                              std::string_view body, std::int64_t now_unix_secs);

}  // namespace aof::ingest
