#pragma once
// The platforms beyond GitHub and Slack, as data (DESIGN §5, §6): how each is verified,
// parsed, routed and answered. Ingress::decide looks the {platform} path segment up here;
// adding a platform is one parser in common/ingest/platforms/ and one row in platforms.cc.
// Everything here is a plain function: thread-safe, no I/O, never throws.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "common/base/result.h"
#include "common/event/envelope.h"
#include "common/ingest/platform_message.h"
#include "common/ingest/request.h"
#include "common/ingest/verify/verify.h"

namespace aof::ingest {

struct PlatformSettings;  // settings.h

enum class Routing {
  kChat,   // binding keys, the command, a leading "/word", `default`, then
           // runtime.default_agent (a chat message no command binds still gets an answer)
  kEvent,  // git and incident events: binding keys, "/word", `default`; unbound → ignored
};

struct PlatformAdapter {
  std::string_view name;          // the /webhook/{name} segment and spec.platforms.{name}
  std::string_view trigger_type;  // Trigger spec.type ("GitLab")
  Routing routing = Routing::kEvent;
  std::string_view secret_hint;   // what to configure, for the "no secret" start-up error

  // The provider's scheme over one set of secrets (verify/*.h).
  verify::VerifyResult (*verify)(const PlatformSettings& platform, const verify::Headers& headers,
                                 std::string_view body, const verify::Secrets& secrets,
                                 std::int64_t now) = nullptr;
  // The verified request as AOF's message; kInvalidArgument → 400. `platform` for parsers
  // that platforms.<name> configures (generic's event_header and delivery_header).
  Result<PlatformMessage> (*parse)(const PlatformSettings& platform,
                                   const IngressRequest& request) = nullptr;
  // Platform-level allow-lists (platforms.jira.allowed_projects ...): the reason a message
  // is ignored, or nullopt. nullptr = none.
  std::optional<std::string> (*denied)(const PlatformSettings& platform,
                                       const PlatformMessage& message) = nullptr;
  // The answer once the broker accepted. nullptr = 202 {"status":"accepted","event_id"}.
  IngressResponse (*accepted)(const event::Envelope& envelope) = nullptr;
  // The answer for a verified message nothing runs for. nullptr = 200 `ignored`.
  IngressResponse (*ignored)(std::string_view reason) = nullptr;
  // A GET to /webhook/{name} (WhatsApp's subscription handshake). nullptr = 405.
  IngressResponse (*get)(const PlatformSettings& platform, const IngressRequest& request) = nullptr;

  // Lower-case headers carried in the envelope (to re-verify or replay): never one that
  // carries the secret itself (X-Gitlab-Token, X-Telegram-Bot-Api-Secret-Token).
  std::vector<const char*> kept_headers;
  std::int64_t ack_timeout_cap_ms = 0;    // the provider's deadline minus a margin; 0 = none
};

// Every adapter, in name order.
const std::vector<PlatformAdapter>& platform_adapters();

// The adapter for a path segment, or nullptr.
const PlatformAdapter* find_platform_adapter(std::string_view name);

// How long the broker may take to confirm an event of `platform` before the spool takes it:
// the provider's deadline minus a margin (Slack, Discord: 2,500 ms), 0 = no cap of its own.
std::int64_t ack_timeout_cap_ms(std::string_view platform);

}  // namespace aof::ingest
