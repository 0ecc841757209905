#include "sidecar/ingress_settings.h"

#include <spdlog/spdlog.h>

#include "common/base/log.h"
#include "common/config/secrets.h"

namespace aof::sidecar {
namespace {

Result<std::map<std::string, std::vector<config::Secret>>> resolve_trigger_secrets(
    const config::ResourceSet& resources, const config::EnvLookup& env) {
  std::map<std::string, std::vector<config::Secret>> by_trigger;
  for (const auto& [name, trigger] : resources.triggers) {
    if (trigger.webhook_secrets.empty()) continue;
    auto resolved = config::resolve_secrets(trigger.webhook_secrets, env);
    if (!resolved.ok()) return resolved.error().with_context("trigger " + name);
    by_trigger.emplace(name, std::move(*resolved));
  }
  return by_trigger;
}

// The secrets of platforms.<name>, when it is configured and enabled. GitHub's must resolve
// (exit 2 naming the variable, as AOF requires its webhook_secret). For every other platform
// an unset variable leaves it without a secret: disable_unverifiable then turns it off with
// a warning, as AOF's own daemon.yaml means it ("enable with SLACK_SIGNING_SECRET").
Result<std::vector<config::Secret>> platform_secrets(const config::DaemonConfig& config,
                                                     const std::string& name,
                                                     const config::EnvLookup& env) {
  const auto platform = config.platforms.find(name);
  if (platform == config.platforms.end() || !platform->second.enabled) {
    return std::vector<config::Secret>{};
  }
  auto log = log::get(log::Component::kSidecar);
  if (platform->second.insecure) {
    log->warn(
        "spec.platforms.{}.insecure is true: its requests are accepted WITHOUT signature "
        "verification unless a trigger has its own secret",
        name);
  }
  auto resolved = config::resolve_secrets(platform->second.webhook_secrets, env);
  if (resolved.ok()) return resolved;
  if (name == "github") return resolved.error().with_context("spec.platforms." + name);
  log->warn("spec.platforms.{}: {}", name, resolved.error().message());
  return std::vector<config::Secret>{};
}

// WhatsApp's GET handshake token (platforms.whatsapp.verify_token[_env]); not a signature
// secret, so it is kept apart ("whatsapp.verify_token").
std::vector<config::Secret> verify_token(const config::DaemonConfig& config,
                                         const config::EnvLookup& env) {
  const auto platform = config.platforms.find("whatsapp");
  if (platform == config.platforms.end()) return {};
  const auto& settings = platform->second.settings;
  std::string token;
  if (const auto it = settings.find("verify_token"); it != settings.end()) token = it->second;
  if (const auto it = settings.find("verify_token_env"); token.empty() && it != settings.end()) {
    const char* value = env(it->second.c_str());
    token = value == nullptr ? "" : value;
  }
  if (token.empty()) return {};
  return {config::Secret{token, std::nullopt, std::nullopt, "verify_token"}};
}

bool any_trigger_secret(const ingest::PlatformSettings& platform) {
  for (const auto& t : platform.triggers) {
    if (!t.secrets.empty()) return true;
  }
  return false;
}

// A platform configured under spec.platforms with no usable secret (and not insecure) is
// turned off with a warning at every start: its route answers 404 until a secret is set.
// (A platform only its triggers enable has no such excuse: check_ingress_settings refuses
// to start.)
void disable_unverifiable(const config::DaemonConfig& config, ingest::PlatformSettings& platform) {
  if (!platform.enabled || platform.insecure || !platform.secrets.empty() ||
      any_trigger_secret(platform) || !config.platforms.count(platform.name)) {
    return;
  }
  platform.enabled = false;
  log::get(log::Component::kSidecar)
      ->warn("spec.platforms.{} has no webhook secret: /webhook/{} answers 404 until one is set "
             "(or insecure: true)",
             platform.name, platform.name);
}

}  // namespace

Result<ingest::IngressSettings> ingress_settings(const LoadedDaemon& daemon,
                                                 const config::EnvLookup& env) {
  std::map<std::string, std::vector<config::Secret>> by_platform;
  for (const auto& [name, platform] : daemon.config.platforms) {
    auto secrets = platform_secrets(daemon.config, name, env);
    if (!secrets.ok()) return secrets.error();
    by_platform[name] = std::move(*secrets);
  }
  by_platform["whatsapp.verify_token"] = verify_token(daemon.config, env);
  auto trigger_secrets = resolve_trigger_secrets(*daemon.resources, env);
  if (!trigger_secrets.ok()) return trigger_secrets.error();
  auto settings = ingest::make_ingress_settings(daemon.config, *daemon.resources, by_platform,
                                                *trigger_secrets);
  if (!settings.ok()) return settings.error();
  disable_unverifiable(daemon.config, settings->slack);
  for (auto& [name, platform] : settings->platforms) disable_unverifiable(daemon.config, platform);
  if (auto checked = ingest::check_ingress_settings(*settings); !checked.ok()) {
    return checked.error();
  }
  return settings;
}

Result<ingest::IngressSettings> unverified_ingress_settings(const LoadedDaemon& daemon) {
  auto settings = ingest::make_ingress_settings(daemon.config, *daemon.resources, {}, {});
  if (!settings.ok()) return settings.error();
  settings->github.insecure = true;
  settings->slack.insecure = true;
  for (auto& [name, platform] : settings->platforms) platform.insecure = true;
  return settings;
}

}  // namespace aof::sidecar
