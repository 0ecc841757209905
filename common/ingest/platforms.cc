#include "common/ingest/platforms.h"

#include <algorithm>

#include "common/ingest/answers.h"
#include "common/ingest/platforms/discord.h"
#include "common/ingest/platforms/bitbucket.h"
#include "common/ingest/platforms/generic.h"
#include "common/ingest/platforms/gitlab.h"
#include "common/ingest/platforms/jira.h"
#include "common/ingest/platforms/opsgenie.h"
#include "common/ingest/platforms/pagerduty.h"
#include "common/ingest/platforms/telegram.h"
#include "common/ingest/platforms/whatsapp.h"
#include "common/ingest/verify/discord.h"
#include "common/ingest/verify/hub_signature.h"
#include "common/ingest/settings.h"
#include "common/ingest/verify/generic.h"
#include "common/ingest/verify/hub_signature.h"
#include "common/ingest/verify/pagerduty.h"
#include "common/ingest/verify/token.h"

namespace aof::ingest {
namespace {

// Telegram and WhatsApp want a bare 200: anything else and they retry.
IngressResponse plain_ok(const event::Envelope& envelope) {
  return json_answer(200, {{"status", "accepted"}, {"event_id", envelope.id}});
}

template <auto Scheme>
verify::VerifyResult plain_scheme(const PlatformSettings&, const verify::Headers& headers,
                                  std::string_view body, const verify::Secrets& secrets,
                                  std::int64_t now) {
  return Scheme(headers, body, secrets, now);
}

verify::VerifyResult discord_scheme(const PlatformSettings&, const verify::Headers& headers,
                                    std::string_view body, const verify::Secrets& public_keys,
                                    std::int64_t now) {
  return verify::verify_discord(headers, body, public_keys, now);
}

// Slack and Discord drop an answer that takes over 3 s: the broker gets 2.5 s of it.
constexpr std::int64_t kThreeSecondProviderMs = 2500;
// The parsers that need nothing from platforms.<name>.
template <auto Parser>
Result<PlatformMessage> plain_parser(const PlatformSettings&, const IngressRequest& request) {
  return Parser(request);
}

// The schemes platforms.<name> configures.
verify::VerifyResult opsgenie_scheme(const PlatformSettings& platform,
                                     const verify::Headers& headers, std::string_view body,
                                     const verify::Secrets& secrets, std::int64_t now) {
  return verify::verify_opsgenie(platform.opsgenie, headers, body, secrets, now);
}

verify::VerifyResult generic_scheme(const PlatformSettings& platform,
                                    const verify::Headers& headers, std::string_view body,
                                    const verify::Secrets& secrets, std::int64_t now) {
  return verify::verify_generic(platform.generic, headers, body, secrets, now);
}

// A git or incident platform: routed by its binding keys, answered 202 (any 2xx stops these
// providers' retries), secret in webhook_secret[_env].
PlatformAdapter event_platform(std::string_view name, std::string_view trigger_type) {
  PlatformAdapter a;
  a.name = name;
  a.trigger_type = trigger_type;
  a.routing = Routing::kEvent;
  a.secret_hint = "webhook_secret_env";
  return a;
}

std::vector<PlatformAdapter> make_adapters() {
  std::vector<PlatformAdapter> adapters;
  {
    PlatformAdapter a = event_platform("bitbucket", "Bitbucket");
    a.verify = plain_scheme<verify::verify_bitbucket>;
    a.parse = plain_parser<parse_bitbucket>;
    a.kept_headers = {"content-type",   "user-agent",   "x-event-key", "x-hub-signature",
                      "x-request-uuid", "x-request-id", "x-hook-uuid", "x-attempt-number"};
    adapters.push_back(a);
  }
  {
    // The configured signature headers are not kept: their names are the operator's.
    PlatformAdapter a = event_platform("generic", "Generic");
    a.verify = generic_scheme;
    a.parse = parse_generic;
    a.kept_headers = {"content-type", "user-agent"};
    adapters.push_back(a);
  }
  {
    // Never X-Gitlab-Token: it is the secret itself.
    PlatformAdapter a = event_platform("gitlab", "GitLab");
    a.verify = plain_scheme<verify::verify_gitlab>;
    a.parse = plain_parser<parse_gitlab>;
    a.kept_headers = {"content-type",        "user-agent",      "x-gitlab-event",
                      "x-gitlab-event-uuid", "idempotency-key", "x-gitlab-webhook-uuid",
                      "x-gitlab-instance"};
    adapters.push_back(a);
  }
  {
    PlatformAdapter a = event_platform("jira", "Jira");
    a.verify = plain_scheme<verify::verify_jira>;
    a.parse = plain_parser<parse_jira>;
    a.denied = jira_denied;
    a.kept_headers = {"content-type",
                      "user-agent",
                      "x-hub-signature",
                      "x-atlassian-webhook-identifier",
                      "x-atlassian-webhook-retry",
                      "x-atlassian-webhook-flow"};
    adapters.push_back(a);
  }
  {
    // Never the token header (platforms.opsgenie.header, Authorization by default).
    PlatformAdapter a = event_platform("opsgenie", "Opsgenie");
    a.verify = opsgenie_scheme;
    a.parse = plain_parser<parse_opsgenie>;
    a.kept_headers = {"content-type", "user-agent"};
    adapters.push_back(a);
  }
  {
    PlatformAdapter a = event_platform("pagerduty", "PagerDuty");
    a.verify = plain_scheme<verify::verify_pagerduty>;
    a.parse = plain_parser<parse_pagerduty>;
    a.kept_headers = {"content-type", "user-agent", "x-pagerduty-signature", "x-webhook-id",
                      "x-webhook-subscription"};
    adapters.push_back(a);
  }
  {
    PlatformAdapter a;
    a.name = "telegram";
    a.trigger_type = "Telegram";
    a.routing = Routing::kChat;
    a.secret_hint = "webhook_secret_env";
    a.verify = plain_scheme<verify::verify_telegram>;
    a.parse = plain_parser<parse_telegram>;
    a.accepted = plain_ok;
    a.kept_headers = {"content-type"};
    adapters.push_back(a);
  }
  {
    PlatformAdapter a;
    a.name = "discord";
    a.trigger_type = "Discord";
    a.routing = Routing::kChat;
    a.secret_hint = "public_key_env";
    a.verify = discord_scheme;
    a.parse = plain_parser<parse_discord>;
    a.accepted = discord_accepted;
    a.ignored = discord_ignored;
    a.kept_headers = {"x-signature-ed25519", "x-signature-timestamp", "content-type",
                      "user-agent"};
    a.ack_timeout_cap_ms = kThreeSecondProviderMs;
    adapters.push_back(a);
  }
  {
    PlatformAdapter a;
    a.name = "whatsapp";
    a.trigger_type = "WhatsApp";
    a.routing = Routing::kChat;
    a.secret_hint = "app_secret_env";
    a.verify = plain_scheme<verify::verify_whatsapp>;
    a.parse = plain_parser<parse_whatsapp>;
    a.accepted = plain_ok;
    a.get = whatsapp_handshake;
    a.kept_headers = {"x-hub-signature-256", "content-type", "user-agent"};
    adapters.push_back(a);
  }
  std::sort(adapters.begin(), adapters.end(),
            [](const PlatformAdapter& x, const PlatformAdapter& y) { return x.name < y.name; });
  return adapters;
}

}  // namespace

const std::vector<PlatformAdapter>& platform_adapters() {
  static const std::vector<PlatformAdapter> adapters = make_adapters();
  return adapters;
}

std::int64_t ack_timeout_cap_ms(std::string_view platform) {
  if (platform == "slack") return kThreeSecondProviderMs;
  const PlatformAdapter* adapter = find_platform_adapter(platform);
  return adapter == nullptr ? 0 : adapter->ack_timeout_cap_ms;
}

const PlatformAdapter* find_platform_adapter(std::string_view name) {
  for (const PlatformAdapter& adapter : platform_adapters()) {
    if (adapter.name == name) return &adapter;
  }
  return nullptr;
}

}  // namespace aof::ingest
