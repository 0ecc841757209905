#pragma once
// What the ingress needs to know, built once at start-up from DaemonConfig + ResourceSet +
// secrets the caller already resolved (env/file reading stays in the binaries). Immutable
// after construction; shared read-only by every request thread.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/base/result.h"
#include "common/config/daemon_config.h"
#include "common/config/resources.h"
#include "common/config/secrets.h"
#include "common/ingest/trigger_filters.h"
#include "common/ingest/verify/generic.h"
#include "common/ingest/verify/token.h"

namespace aof::ingest {

// A trigger with its own resolved secrets (empty = it relies on the platform's) and its
// compiled filters.
struct TriggerSettings {
  config::Trigger trigger;
  std::vector<config::Secret> secrets;
  TriggerFilters filters;
};
using GithubTriggerSettings = TriggerSettings;

// Every platform but GitHub: on when platforms.<name> is configured and enabled, or
// (absent) any trigger of its type exists.
struct PlatformSettings {
  std::string name;                       // "slack", "gitlab", ...
  bool enabled = false;
  bool insecure = false;                  // platforms.<name>.insecure: no secret required
  std::vector<config::Secret> secrets;    // the platform's, for triggers without their own
  std::vector<TriggerSettings> triggers;  // enabled triggers of its type, name order
  // platforms.<name> list keys (jira: allowed_projects, allowed_events).
  std::map<std::string, std::vector<std::string>> allow_lists;
  std::string bot_name;                   // platforms.<name>.bot_name: its own messages are
                                          // ignored ("" = none known)
  verify::GenericConfig generic;          // platforms.generic: the signature scheme
  std::string event_header;               // platforms.generic.event_header: lower-case name of
                                          // the header carrying the event name ("" = none:
                                          // every event is "webhook")
  std::string delivery_header;            // platforms.generic.delivery_header: lower-case name
                                          // of the header carrying the delivery id ("" = none:
                                          // dedup on the body's hash)
  verify::OpsgenieConfig opsgenie;        // platforms.opsgenie: the header carrying the token
  std::vector<config::Secret> verify_tokens;  // WhatsApp: the GET handshake's verify_token
};

struct GithubSettings {
  bool enabled = false;                         // platforms.github enabled, or (absent) any GitHub
                                                // trigger exists; false → /webhook/github is 404
  bool insecure = false;                        // platforms.github.insecure: no secret required
                                                // when the platform has none
  std::vector<config::Secret> secrets;          // platforms.github secrets: for every trigger
                                                // without secrets of its own
  std::vector<std::string> allowed_repos;       // owner/repo, owner/*, * ; empty = all
  std::vector<GithubTriggerSettings> triggers;  // enabled `type: GitHub` triggers, name order
};

struct IngressSettings {
  std::int64_t max_body_bytes = 26214400;  // gateway.max_body_bytes → 413 above
  GithubSettings github;
  PlatformSettings slack;
  std::map<std::string, PlatformSettings> platforms;  // the adapters' (platforms.h), by name
  std::string default_agent;  // runtime.default_agent: chat messages no command binds
};

// Builds the settings (kInvalidArgument: a trigger pattern that is not a regex, a generic
// scheme that does not validate). `platform_secrets`: each platform's secrets
// (platforms.<name>), resolved, by platform name, and WhatsApp's handshake token as
// "whatsapp.verify_token". `trigger_secrets`: each trigger's own Trigger::webhook_secrets,
// resolved, by trigger name (a trigger absent from the map has none). Triggers with
// `enabled: false` are left out (AOF never reads the flag; an operator who writes it means it).
Result<IngressSettings> make_ingress_settings(
    const config::DaemonConfig& daemon, const config::ResourceSet& resources,
    const std::map<std::string, std::vector<config::Secret>>& platform_secrets,
    const std::map<std::string, std::vector<config::Secret>>& trigger_secrets);

// kInvalidArgument when a platform is enabled with no secret anywhere and not
// `insecure: true` (every request would be refused with 401): the binaries refuse to start.
Status check_ingress_settings(const IngressSettings& settings);

}  // namespace aof::ingest
