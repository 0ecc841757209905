#pragma once
// A Reporter whose every platform points at one loopback fake (ScriptedHttpServer), with
// tokens from a fake environment, and the envelopes the platform parsers produce.

#include <map>
#include <memory>
#include <string>

#include "common/runtime/report/report.h"
#include "sidecar/httplib_client.h"
#include "tests/support/fake_env.h"
#include "tests/support/scripted_http_server.h"

namespace aof::runtime::report::testing {

inline config::PlatformConfig platform(const std::string& name, const std::string& api_url,
                                       const std::string& token_env) {
  config::PlatformConfig p;
  p.name = name;
  p.api_url = api_url;
  if (!token_env.empty()) p.token = config::SecretRef{token_env, "", "", {}, {}, "test"};
  return p;
}

struct ReportFixture {
  aof::testing::ScriptedHttpServer api;
  std::map<std::string, config::PlatformConfig> platforms;
  std::map<std::string, std::string> env{
      {"GH_TOKEN", "ghp_test"}, {"SLACK_TOKEN", "xoxb-test"},  {"TG_TOKEN", "123:abc"},
      {"WA_TOKEN", "EAAtest"},  {"JIRA_TOKEN", "jira-secret"}, {"JIRA_EMAIL", "bot@example.com"},
      {"PD_TOKEN", "pd-key"},   {"GL_TOKEN", "glpat-test"}};

  ReportFixture() {
    const std::string url = api.base_url();
    platforms["github"] = platform("github", url, "GH_TOKEN");
    platforms["github"].bot_name = "aofbot";
    platforms["slack"] = platform("slack", url, "SLACK_TOKEN");
    platforms["discord"] = platform("discord", url, "");
    platforms["telegram"] = platform("telegram", url, "TG_TOKEN");
    platforms["whatsapp"] = platform("whatsapp", url, "WA_TOKEN");
    platforms["jira"] = platform("jira", "", "JIRA_TOKEN");
    platforms["jira"].settings = {{"base_url", url + "/"}, {"user_email_env", "JIRA_EMAIL"}};
    platforms["pagerduty"] = platform("pagerduty", url, "PD_TOKEN");
    platforms["pagerduty"].settings = {{"from", "oncall@example.com"}};
    platforms["gitlab"] = platform("gitlab", url, "GL_TOKEN");
  }

  std::shared_ptr<const Reporter> reporter() const {
    return std::make_shared<const Reporter>(
        platforms, std::make_shared<const sidecar::HttplibClient>(), aof::testing::fake_env(env));
  }
};

inline event::Envelope github_pr_event() {
  event::Envelope e;
  e.id = "01JREPORT000000000000000GH";
  e.platform = "github";
  e.event = "pull_request";
  e.action = "opened";
  e.channel_id = "acme/api#42";
  e.thread_id = "pr-42";
  return e;
}

}  // namespace aof::runtime::report::testing
