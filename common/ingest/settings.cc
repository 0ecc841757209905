#include "common/ingest/settings.h"

namespace aof::ingest {
namespace {

constexpr const char* kGithubTriggerType = "GitHub";  // AOF's spelling; case-sensitive

std::vector<GithubTriggerSettings> github_triggers(
    const config::ResourceSet& resources,
    const std::map<std::string, std::vector<config::Secret>>& trigger_secrets) {
  std::vector<GithubTriggerSettings> out;
  for (const auto& [name, trigger] : resources.triggers) {  // std::map: name order
    if (trigger.type != kGithubTriggerType || !trigger.enabled) continue;
    const auto secrets = trigger_secrets.find(name);
    out.push_back({trigger, secrets == trigger_secrets.end() ? std::vector<config::Secret>{}
                                                             : secrets->second});
  }
  return out;
}

bool any_trigger_secret(const GithubSettings& github) {
  for (const auto& t : github.triggers) {
    if (!t.secrets.empty()) return true;
  }
  return false;
}

}  // namespace

IngressSettings make_ingress_settings(
    const config::DaemonConfig& daemon, const config::ResourceSet& resources,
    std::vector<config::Secret> github_secrets,
    const std::map<std::string, std::vector<config::Secret>>& trigger_secrets) {
  IngressSettings settings;
  settings.max_body_bytes = daemon.gateway.max_body_bytes;
  GithubSettings& github = settings.github;
  github.triggers = github_triggers(resources, trigger_secrets);
  github.secrets = std::move(github_secrets);
  const auto platform = daemon.platforms.find("github");
  if (platform == daemon.platforms.end()) {
    github.enabled = !github.triggers.empty();  // AOF registers github for GitHub triggers
    return settings;
  }
  github.enabled = platform->second.enabled;
  github.insecure = platform->second.insecure;
  github.allowed_repos = platform->second.allowed_repos;
  return settings;
}

Status check_ingress_settings(const IngressSettings& settings) {
  const GithubSettings& github = settings.github;
  if (!github.enabled || github.insecure) return ok_status();
  if (github.secrets.empty() && !any_trigger_secret(github)) {
    return Error(ErrorCode::kInvalidArgument,
                 "platforms.github: no webhook secret configured (set webhook_secret_env, "
                 "webhook_secrets, a trigger's webhook_secret, or insecure: true)");
  }
  return ok_status();
}

}  // namespace aof::ingest
