#include "common/runtime/report/report.h"

#include "common/base/log.h"
#include "common/config/secrets.h"
#include "common/runtime/report/platform_requests.h"

namespace aof::runtime::report {

namespace {

using Builder = Built (*)(const event::Envelope&, const ReportText&, const PlatformAccess&, Skip*);

// The platforms that answer; others (bitbucket, opsgenie, generic) have no reply API here.
Builder builder_for(const std::string& platform) {
  if (platform == "github") return github_request;
  if (platform == "slack") return slack_request;
  if (platform == "discord") return discord_request;
  if (platform == "telegram") return telegram_request;
  if (platform == "whatsapp") return whatsapp_request;
  if (platform == "jira") return jira_request;
  if (platform == "pagerduty") return pagerduty_request;
  if (platform == "gitlab") return gitlab_request;
  return nullptr;
}

// The token, or "" when unset or unresolvable (the reporter then skips with a warning).
std::string resolve_token(const config::PlatformConfig& platform, const config::EnvLookup& env) {
  if (!platform.token) return "";
  auto resolved = config::resolve_secrets({*platform.token}, env);
  if (!resolved.ok() || resolved->empty()) return "";
  return resolved->front().bytes;
}

// Settings with `x_env` turned into x's value (daemon_config.h keeps the variable's name).
std::map<std::string, std::string> resolve_settings(const config::PlatformConfig& platform,
                                                    const config::EnvLookup& env) {
  std::map<std::string, std::string> out;
  constexpr std::string_view kEnv = "_env";
  for (const auto& [key, value] : platform.settings) {
    if (key.size() > kEnv.size() && key.ends_with(kEnv)) {
      const char* found = env ? env(value.c_str()) : nullptr;
      if (found && *found) out.emplace(key.substr(0, key.size() - kEnv.size()), found);
    } else {
      out[key] = value;
    }
  }
  return out;
}

bool slack_refused(const HttpResponse& response, std::string* error) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.value("ok", false)) return false;
  *error = body.is_object() ? body.value("error", "not ok") : "unreadable answer";
  return true;
}

// The posted message's id in a platform's answer: Slack's "ts", else a top-level "id"
// (Discord, GitHub, ...). Bounded: an answer over 1 MiB is not parsed.
std::string message_id(const std::string& answer) {
  if (answer.size() > (1u << 20)) return "";
  const auto body = nlohmann::json::parse(answer, nullptr, false);
  if (!body.is_object()) return "";
  for (const char* key : {"ts", "id"}) {
    const auto it = body.find(key);
    if (it == body.end()) continue;
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return std::to_string(it->get<long long>());
  }
  return "";
}

}  // namespace

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPosted:
      return "posted";
    case Outcome::kSkipped:
      return "skipped";
    case Outcome::kRefused:
      return "refused";
  }
  return "?";
}

Reporter::Reporter(const std::map<std::string, config::PlatformConfig>& platforms,
                   std::shared_ptr<const HttpClient> http, const config::EnvLookup& env)
    : http_(std::move(http)) {
  for (const auto& [name, platform] : platforms) {
    if (!platform.enabled) continue;
    auto access = std::make_shared<Access>();
    access->token = resolve_token(platform, env);
    access->api_url = platform.api_url;
    access->settings = resolve_settings(platform, env);
    access->bot_name = platform.bot_name;
    access_[name] = std::move(access);
  }
}

void Reporter::warn_once(const std::string& platform, const std::string& why) const {
  {
    std::lock_guard lock(mu_);
    if (!warned_.insert(platform).second) return;
  }
  log::get(log::Component::kWorker)
      ->warn("platform={} results are not reported: {} (warned once)", platform, why);
}

Result<Outcome> Reporter::report(const event::Envelope& envelope, const ReportText& text) const {
  auto posted = post(envelope, text);
  if (!posted.ok()) return posted.error();
  return posted->outcome;
}

Result<Reporter::Posted> Reporter::post(const event::Envelope& envelope,
                                        const ReportText& text) const {
  const Builder build = builder_for(envelope.platform);
  auto access = access_.find(envelope.platform);
  if (!build || access == access_.end() || !http_) {
    warn_once(envelope.platform, "no reply API configured");
    return Posted{Outcome::kSkipped, ""};
  }
  Skip skip;
  auto request = build(envelope, text, *access->second, &skip);
  auto logger = log::get(log::Component::kWorker);
  if (!request) {
    // A missing credential is the operator's to fix (once); a conversation-less event
    // (a push) is normal.
    if (skip.missing_credential) {
      warn_once(envelope.platform, skip.why);
    } else {
      logger->debug("event_id={} platform={} not reported: {}", envelope.id, envelope.platform,
                    skip.why);
    }
    return Posted{Outcome::kSkipped, ""};
  }
  auto response = http_->send(*request);
  if (!response.ok()) {
    return Error(ErrorCode::kUnavailable,
                 "report to " + envelope.platform + ": " + response.error().message());
  }
  if (response->status == 429 || response->status >= 500) {
    return Error(ErrorCode::kUnavailable,
                 "report to " + envelope.platform + ": HTTP " + std::to_string(response->status));
  }
  std::string error = "HTTP " + std::to_string(response->status);
  const bool refused = response->status < 200 || response->status >= 300 ||
                       (envelope.platform == "slack" && slack_refused(*response, &error));
  if (refused) {
    logger->warn("event_id={} platform={} report refused: {}", envelope.id, envelope.platform,
                 error);
    return Posted{Outcome::kRefused, ""};
  }
  logger->info("event_id={} platform={} result reported", envelope.id, envelope.platform);
  return Posted{Outcome::kPosted, message_id(response->body)};
}

}  // namespace aof::runtime::report
