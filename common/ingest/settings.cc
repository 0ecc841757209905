#include "common/ingest/settings.h"

namespace aof::ingest {
namespace {

std::vector<TriggerSettings> triggers_of_type(
    const std::string& type, const config::ResourceSet& resources,
    const std::map<std::string, std::vector<config::Secret>>& trigger_secrets) {
  std::vector<TriggerSettings> out;
  for (const auto& [name, trigger] : resources.triggers) {  // std::map: name order
    if (trigger.type != type || !trigger.enabled) continue;  // AOF's spelling, case-sensitive
    const auto secrets = trigger_secrets.find(name);
    out.push_back({trigger, secrets == trigger_secrets.end() ? std::vector<config::Secret>{}
                                                             : secrets->second});
  }
  return out;
}

bool any_trigger_secret(const std::vector<TriggerSettings>& triggers) {
  for (const auto& t : triggers) {
    if (!t.secrets.empty()) return true;
  }
  return false;
}

std::vector<config::Secret> secrets_of(
    const std::string& platform,
    const std::map<std::string, std::vector<config::Secret>>& platform_secrets) {
  const auto it = platform_secrets.find(platform);
  return it == platform_secrets.end() ? std::vector<config::Secret>{} : it->second;
}

PlatformSettings platform_settings(
    const std::string& name, const std::string& trigger_type, const config::DaemonConfig& daemon,
    const config::ResourceSet& resources,
    const std::map<std::string, std::vector<config::Secret>>& platform_secrets,
    const std::map<std::string, std::vector<config::Secret>>& trigger_secrets) {
  PlatformSettings out;
  out.triggers = triggers_of_type(trigger_type, resources, trigger_secrets);
  out.secrets = secrets_of(name, platform_secrets);
  const auto platform = daemon.platforms.find(name);
  if (platform == daemon.platforms.end()) {
    out.enabled = !out.triggers.empty();  // AOF registers a platform its triggers use
  } else {
    out.enabled = platform->second.enabled;
    out.insecure = platform->second.insecure;
  }
  return out;
}

Status check_platform(const std::string& name, bool enabled, bool insecure,
                      const std::vector<config::Secret>& secrets,
                      const std::vector<TriggerSettings>& triggers, const char* hint) {
  if (!enabled || insecure || !secrets.empty() || any_trigger_secret(triggers)) {
    return ok_status();
  }
  return Error(ErrorCode::kInvalidArgument,
               "platforms." + name + ": no webhook secret configured (set " + hint +
                   ", webhook_secrets, a trigger's webhook_secret, or insecure: true)");
}

}  // namespace

IngressSettings make_ingress_settings(
    const config::DaemonConfig& daemon, const config::ResourceSet& resources,
    const std::map<std::string, std::vector<config::Secret>>& platform_secrets,
    const std::map<std::string, std::vector<config::Secret>>& trigger_secrets) {
  IngressSettings settings;
  settings.max_body_bytes = daemon.gateway.max_body_bytes;
  settings.default_agent = daemon.runtime.default_agent;
  settings.slack =
      platform_settings("slack", "Slack", daemon, resources, platform_secrets, trigger_secrets);
  const PlatformSettings github =
      platform_settings("github", "GitHub", daemon, resources, platform_secrets, trigger_secrets);
  settings.github.enabled = github.enabled;
  settings.github.insecure = github.insecure;
  settings.github.secrets = github.secrets;
  settings.github.triggers = github.triggers;
  if (const auto platform = daemon.platforms.find("github"); platform != daemon.platforms.end()) {
    settings.github.allowed_repos = platform->second.allowed_repos;
  }
  return settings;
}

Status check_ingress_settings(const IngressSettings& settings) {
  const GithubSettings& github = settings.github;
  if (auto checked = check_platform("github", github.enabled, github.insecure, github.secrets,
                                    github.triggers, "webhook_secret_env");
      !checked.ok()) {
    return checked;
  }
  const PlatformSettings& slack = settings.slack;
  return check_platform("slack", slack.enabled, slack.insecure, slack.secrets, slack.triggers,
                        "signing_secret_env");
}

}  // namespace aof::ingest
