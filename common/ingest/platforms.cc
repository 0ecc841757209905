#include "common/ingest/platforms.h"

#include <algorithm>

#include "common/ingest/answers.h"
#include "common/ingest/platforms/discord.h"
#include "common/ingest/platforms/telegram.h"
#include "common/ingest/platforms/whatsapp.h"
#include "common/ingest/verify/discord.h"
#include "common/ingest/verify/hub_signature.h"
#include "common/ingest/settings.h"
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

std::vector<PlatformAdapter> make_adapters() {
  std::vector<PlatformAdapter> adapters;
  {
    PlatformAdapter a;
    a.name = "telegram";
    a.trigger_type = "Telegram";
    a.routing = Routing::kChat;
    a.secret_hint = "webhook_secret_env";
    a.verify = plain_scheme<verify::verify_telegram>;
    a.parse = parse_telegram;
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
    a.parse = parse_discord;
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
    a.parse = parse_whatsapp;
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
