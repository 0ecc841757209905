#include "common/ingest/settings.h"

#include "common/ingest/platforms.h"

namespace aof::ingest {
namespace {

using SecretsByName = std::map<std::string, std::vector<config::Secret>>;

Result<std::vector<TriggerSettings>> triggers_of_type(std::string_view type,
                                                      const config::ResourceSet& resources,
                                                      const SecretsByName& trigger_secrets) {
  std::vector<TriggerSettings> out;
  for (const auto& [name, trigger] : resources.triggers) {  // std::map: name order
    if (trigger.type != type || !trigger.enabled) continue;  // AOF's spelling, case-sensitive
    auto filters = TriggerFilters::compile(trigger);
    if (!filters.ok()) return filters.error();
    const auto secrets = trigger_secrets.find(name);
    out.push_back({trigger,
                   secrets == trigger_secrets.end() ? std::vector<config::Secret>{}
                                                    : secrets->second,
                   std::move(*filters)});
  }
  return out;
}

bool any_trigger_secret(const std::vector<TriggerSettings>& triggers) {
  for (const auto& t : triggers) {
    if (!t.secrets.empty()) return true;
  }
  return false;
}

std::vector<config::Secret> secrets_of(const std::string& platform,
                                       const SecretsByName& platform_secrets) {
  const auto it = platform_secrets.find(platform);
  return it == platform_secrets.end() ? std::vector<config::Secret>{} : it->second;
}

std::string setting(const config::PlatformConfig& platform, const char* key) {
  const auto it = platform.settings.find(key);
  return it == platform.settings.end() ? std::string() : it->second;
}

Error invalid(const std::string& platform, const std::string& why) {
  return Error(ErrorCode::kInvalidArgument, "spec.platforms." + platform + "." + why);
}

// platforms.generic: the scheme's fields over verify::GenericConfig's defaults.
Status read_generic_scheme(const config::PlatformConfig& platform, verify::GenericConfig& out) {
  if (auto header = setting(platform, "header"); !header.empty()) out.header = header;
  if (auto algorithm = setting(platform, "algorithm"); !algorithm.empty()) {
    const auto parsed = verify::parse_digest_algorithm(algorithm);
    if (!parsed) return invalid("generic", "algorithm: must be sha1, sha256 or sha512");
    out.algorithm = *parsed;
  }
  if (auto encoding = setting(platform, "encoding"); !encoding.empty()) {
    const auto parsed = verify::parse_digest_encoding(encoding);
    if (!parsed) return invalid("generic", "encoding: must be hex or base64");
    out.encoding = *parsed;
  }
  if (platform.settings.count("prefix")) out.prefix = setting(platform, "prefix");
  out.timestamp_header = setting(platform, "timestamp_header");
  if (auto payload = setting(platform, "signed_payload"); !payload.empty()) {
    out.signed_payload = payload;
  }
  if (auto tolerance = setting(platform, "tolerance_secs"); !tolerance.empty()) {
    try {
      std::size_t used = 0;
      out.tolerance_secs = std::stoll(tolerance, &used);
      if (used != tolerance.size()) throw std::invalid_argument(tolerance);
    } catch (const std::exception&) {
      return invalid("generic", "tolerance_secs: must be a whole number of seconds");
    }
  }
  if (auto checked = verify::validate_generic_config(out); !checked.ok()) {
    return invalid("generic", checked.error().message());
  }
  return ok_status();
}

// platforms.generic.event_header / delivery_header: names as the scheme's headers are given.
Status read_generic_headers(const config::PlatformConfig& platform, PlatformSettings& out) {
  for (auto [key, field] : {std::pair{"event_header", &out.event_header},
                            std::pair{"delivery_header", &out.delivery_header}}) {
    if (!platform.settings.count(key)) continue;
    *field = setting(platform, key);
    if (!verify::is_header_name(*field)) {
      return invalid("generic", std::string(key) + ": must be 1-64 characters of a-z 0-9 -");
    }
  }
  return ok_status();
}

void read_opsgenie_scheme(const config::PlatformConfig& platform, verify::OpsgenieConfig& out) {
  if (auto header = setting(platform, "header"); !header.empty()) out.header = header;
  if (platform.settings.count("prefix")) out.prefix = setting(platform, "prefix");
}

Result<PlatformSettings> platform_settings(const std::string& name, std::string_view trigger_type,
                                           const config::DaemonConfig& daemon,
                                           const config::ResourceSet& resources,
                                           const SecretsByName& platform_secrets,
                                           const SecretsByName& trigger_secrets) {
  PlatformSettings out;
  out.name = name;
  auto triggers = triggers_of_type(trigger_type, resources, trigger_secrets);
  if (!triggers.ok()) return triggers.error();
  out.triggers = std::move(*triggers);
  out.secrets = secrets_of(name, platform_secrets);
  out.verify_tokens = secrets_of(name + ".verify_token", platform_secrets);
  const auto platform = daemon.platforms.find(name);
  if (platform == daemon.platforms.end()) {
    out.enabled = !out.triggers.empty();  // AOF registers a platform its triggers use
    return out;
  }
  const config::PlatformConfig& p = platform->second;
  out.enabled = p.enabled;
  out.insecure = p.insecure;
  out.allow_lists = p.list_settings;
  out.bot_name = p.bot_name.empty() ? setting(p, "bot_user_id") : p.bot_name;
  if (name == "generic") {
    if (auto read = read_generic_scheme(p, out.generic); !read.ok()) return read.error();
    if (auto read = read_generic_headers(p, out); !read.ok()) return read.error();
  }
  if (name == "opsgenie") read_opsgenie_scheme(p, out.opsgenie);
  return out;
}

Status check_platform(const std::string& name, bool enabled, bool insecure,
                      const std::vector<config::Secret>& secrets,
                      const std::vector<TriggerSettings>& triggers, std::string_view hint) {
  if (!enabled || insecure || !secrets.empty() || any_trigger_secret(triggers)) {
    return ok_status();
  }
  return Error(ErrorCode::kInvalidArgument,
               "platforms." + name + ": no webhook secret configured (set " + std::string(hint) +
                   ", webhook_secrets, a trigger's webhook_secret, or insecure: true)");
}

}  // namespace

Result<IngressSettings> make_ingress_settings(const config::DaemonConfig& daemon,
                                              const config::ResourceSet& resources,
                                              const SecretsByName& platform_secrets,
                                              const SecretsByName& trigger_secrets) {
  IngressSettings settings;
  settings.max_body_bytes = daemon.gateway.max_body_bytes;
  settings.default_agent = daemon.runtime.default_agent;
  auto slack =
      platform_settings("slack", "Slack", daemon, resources, platform_secrets, trigger_secrets);
  if (!slack.ok()) return slack.error();
  settings.slack = std::move(*slack);
  for (const PlatformAdapter& adapter : platform_adapters()) {
    const std::string name(adapter.name);
    auto platform = platform_settings(name, adapter.trigger_type, daemon, resources,
                                      platform_secrets, trigger_secrets);
    if (!platform.ok()) return platform.error();
    settings.platforms.emplace(name, std::move(*platform));
  }
  auto github =
      platform_settings("github", "GitHub", daemon, resources, platform_secrets, trigger_secrets);
  if (!github.ok()) return github.error();
  settings.github.enabled = github->enabled;
  settings.github.insecure = github->insecure;
  settings.github.secrets = github->secrets;
  settings.github.triggers = github->triggers;
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
  if (auto checked = check_platform("slack", slack.enabled, slack.insecure, slack.secrets,
                                    slack.triggers, "signing_secret_env");
      !checked.ok()) {
    return checked;
  }
  for (const auto& [name, platform] : settings.platforms) {
    const PlatformAdapter* adapter = find_platform_adapter(name);
    if (auto checked = check_platform(name, platform.enabled, platform.insecure, platform.secrets,
                                      platform.triggers, adapter->secret_hint);
        !checked.ok()) {
      return checked;
    }
  }
  return ok_status();
}

}  // namespace aof::ingest
