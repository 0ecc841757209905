#include <doctest/doctest.h>

#include "common/config/loader.h"
#include "tests/unit/config/test_util.h"

namespace aof::config {
namespace {

using test::errors;
using test::warnings;

// Parses `platforms` (indented under spec.platforms; its first line is file line 6).
DaemonConfigLoad parse_platforms(const std::string& platforms) {
  return parse_daemon_config(
      "apiVersion: aof.dev/v1\nkind: DaemonConfig\nmetadata: {name: p}\n"
      "spec:\n  platforms:\n" +
          platforms,
      "daemon.yaml");
}

const PlatformConfig& platform(const DaemonConfigLoad& load, const std::string& name) {
  REQUIRE_MESSAGE(load.config, test::errors(load.diagnostics).front());
  return load.config->platforms.at(name);
}

}  // namespace

TEST_CASE("github: AOF's keys map to secrets, token, bot name and repo filter") {
  const auto load = parse_platforms(R"(    github:
      webhook_secret_env: GITHUB_WEBHOOK_SECRET
      token_env: GITHUB_TOKEN
      allowed_repos: [acme/api, "acme/*"]
      api_url: https://ghe.example.com/api/v3
)");
  CHECK(load.diagnostics.empty());
  const auto& gh = platform(load, "github");
  CHECK(gh.name == "github");
  CHECK(gh.enabled);
  CHECK_FALSE(gh.insecure);
  REQUIRE(gh.webhook_secrets.size() == 1);
  CHECK(gh.webhook_secrets[0].value_env == "GITHUB_WEBHOOK_SECRET");
  CHECK(gh.webhook_secrets[0].value.empty());
  CHECK(gh.webhook_secrets[0].origin == "daemon.yaml:7");
  REQUIRE(gh.token);
  CHECK(gh.token->value_env == "GITHUB_TOKEN");
  CHECK(gh.bot_name == "aofbot");
  CHECK(gh.allowed_repos == std::vector<std::string>{"acme/api", "acme/*"});
  CHECK(gh.api_url == "https://ghe.example.com/api/v3");
}

TEST_CASE("slack, discord, telegram, whatsapp: each platform's own key names") {
  const auto load = parse_platforms(R"(    slack:
      signing_secret_env: SLACK_SIGNING_SECRET
      bot_token_env: SLACK_BOT_TOKEN
      app_id: A0123
      bot_user_id: U0BOT
      approval_allowed_users: [U1, U2]
    discord:
      enabled: false
      public_key: "ab12cd"
      bot_token_env: DISCORD_BOT_TOKEN
      application_id: "123456789012345678"
    telegram:
      bot_token_env: TELEGRAM_BOT_TOKEN
      webhook_secret_env: TG_SECRET
    whatsapp:
      app_secret_env: WA_APP_SECRET
      access_token_env: WA_TOKEN
      verify_token: verify-me
      phone_number_id: "1234567890"
)");
  CHECK(load.diagnostics.empty());
  const auto& slack = platform(load, "slack");
  CHECK(slack.webhook_secrets.at(0).value_env == "SLACK_SIGNING_SECRET");
  CHECK(slack.token->value_env == "SLACK_BOT_TOKEN");
  CHECK(slack.settings ==
        std::map<std::string, std::string>{{"app_id", "A0123"}, {"bot_user_id", "U0BOT"}});
  CHECK(slack.approval_allowed_users == std::vector<std::string>{"U1", "U2"});
  CHECK(slack.bot_name.empty());
  const auto& discord = platform(load, "discord");
  CHECK_FALSE(discord.enabled);
  CHECK(discord.webhook_secrets.at(0).value == "ab12cd");  // a public key: no warning
  CHECK(discord.token->value_env == "DISCORD_BOT_TOKEN");
  CHECK(discord.settings.at("application_id") == "123456789012345678");
  CHECK(platform(load, "telegram").webhook_secrets.at(0).value_env == "TG_SECRET");
  const auto& wa = platform(load, "whatsapp");
  CHECK(wa.webhook_secrets.at(0).value_env == "WA_APP_SECRET");
  CHECK(wa.token->value_env == "WA_TOKEN");
  CHECK(wa.settings.at("verify_token") == "verify-me");
  CHECK(wa.settings.at("phone_number_id") == "1234567890");
}

TEST_CASE("jira: settings, env settings and list settings") {
  const auto load = parse_platforms(R"(    jira:
      cloud_id_env: JIRA_CLOUD_ID
      user_email: bot@example.com
      user_email_env: JIRA_EMAIL
      api_token_env: JIRA_API_TOKEN
      webhook_secret_env: JIRA_SECRET
      bot_name: jirabot
      allowed_projects: [OPS, BUG]
      allowed_events: [jira:issue_created]
)");
  const auto& jira = platform(load, "jira");
  CHECK(warnings(load.diagnostics) ==
        std::vector<std::string>{"daemon.yaml:9: spec.platforms.jira.user_email_env: ignored: "
                                 "the direct value is set and wins (as in AOF)"});
  CHECK(jira.settings == std::map<std::string, std::string>{{"cloud_id_env", "JIRA_CLOUD_ID"},
                                                            {"user_email", "bot@example.com"}});
  CHECK(jira.token->value_env == "JIRA_API_TOKEN");
  CHECK(jira.webhook_secrets.at(0).value_env == "JIRA_SECRET");
  CHECK(jira.bot_name == "jirabot");
  CHECK(jira.list_settings.at("allowed_projects") == std::vector<std::string>{"OPS", "BUG"});
  CHECK(jira.list_settings.at("allowed_events") == std::vector<std::string>{"jira:issue_created"});
}

TEST_CASE("literal secrets work, warn, and are never printed") {
  const auto load = parse_platforms(R"(    telegram:
      webhook_secret: s3cr3t-telegram
      bot_token: 123:tok-literal
      webhook_secret_env: IGNORED_VAR
)");
  const auto& tg = platform(load, "telegram");
  REQUIRE(tg.webhook_secrets.size() == 1);
  CHECK(tg.webhook_secrets[0].value == "s3cr3t-telegram");  // direct wins over *_env, as in AOF
  CHECK(tg.webhook_secrets[0].value_env.empty());
  CHECK(tg.token->value == "123:tok-literal");
  CHECK(warnings(load.diagnostics) ==
        std::vector<std::string>{
            "daemon.yaml:7: spec.platforms.telegram.webhook_secret: literal secret; prefer "
            "webhook_secret_env or webhook_secrets[].value_file",
            "daemon.yaml:8: spec.platforms.telegram.bot_token: literal secret; prefer "
            "bot_token_env",
            "daemon.yaml:9: spec.platforms.telegram.webhook_secret_env: ignored: the direct value "
            "is set and wins (as in AOF)"});
  for (const auto& d : load.diagnostics) {
    CHECK(d.to_string().find("s3cr3t") == std::string::npos);
    CHECK(d.to_string().find("tok-literal") == std::string::npos);
  }
}

TEST_CASE("webhook_secrets: several secrets for rotation, with validity windows") {
  const auto load = parse_platforms(R"(    gitlab:
      webhook_secret_env: GITLAB_OLD
      webhook_secrets:
        - value_file: /run/secrets/gitlab
          not_before: 2025-01-01T00:00:00Z
        - value_env: GITLAB_NEXT
          not_before: 1767225600
          not_after: "2026-01-01T03:00:00+02:00"
      token_env: GITLAB_TOKEN
      api_url: https://gitlab.example.com/api/v4
)");
  CHECK(load.diagnostics.empty());
  const auto& gl = platform(load, "gitlab");
  REQUIRE(gl.webhook_secrets.size() == 3);
  CHECK(gl.webhook_secrets[0].value_env == "GITLAB_OLD");
  CHECK(gl.webhook_secrets[1].value_file == "/run/secrets/gitlab");
  CHECK(gl.webhook_secrets[1].not_before == 1735689600);
  CHECK_FALSE(gl.webhook_secrets[1].not_after.has_value());
  CHECK(gl.webhook_secrets[1].origin == "daemon.yaml:9");
  CHECK(gl.webhook_secrets[2].value_env == "GITLAB_NEXT");
  CHECK(gl.webhook_secrets[2].not_before == 1767225600);
  CHECK(gl.webhook_secrets[2].not_after == 1767225600 + 3600);
  CHECK(gl.token->value_env == "GITLAB_TOKEN");
}

TEST_CASE("webhook_secrets entries are strict") {
  const auto load = parse_platforms(R"(    pagerduty:
      webhook_secrets:
        - {value_env: A, value_file: /b}
        - {not_before: 5}
        - {value_env: C, rotate: true}
        - {value_env: D, not_before: tomorrow}
        - {value_env: E, not_before: 10, not_after: 10}
        - {value: literal-pd}
)");
  CHECK_FALSE(load.config);
  CHECK(errors(load.diagnostics) ==
        std::vector<std::string>{
            "daemon.yaml:8: spec.platforms.pagerduty.webhook_secrets[0]: set exactly one of "
            "value_env, value_file, value",
            "daemon.yaml:9: spec.platforms.pagerduty.webhook_secrets[1]: set exactly one of "
            "value_env, value_file, value",
            "daemon.yaml:10: spec.platforms.pagerduty.webhook_secrets[2].rotate: unknown key",
            "daemon.yaml:11: spec.platforms.pagerduty.webhook_secrets[3].not_before: must be unix "
            "seconds or an RFC 3339 time",
            "daemon.yaml:12: spec.platforms.pagerduty.webhook_secrets[4].not_after: must be after "
            "not_before"});
  CHECK(warnings(load.diagnostics) ==
        std::vector<std::string>{"daemon.yaml:13: spec.platforms.pagerduty.webhook_secrets[5]."
                                 "value: literal secret; prefer value_env or value_file"});
}

TEST_CASE("insecure is the only way to run without a secret") {
  const auto bare = parse_platforms("    opsgenie: {token_env: OG}\n");
  REQUIRE(bare.config);
  CHECK(warnings(bare.diagnostics) ==
        std::vector<std::string>{"daemon.yaml:6: spec.platforms.opsgenie: no webhook secret (set "
                                 "webhook_secret_env or webhook_secrets, or insecure: true)"});
  const auto insecure = parse_platforms("    opsgenie: {insecure: true}\n");
  REQUIRE(insecure.config);
  CHECK(insecure.diagnostics.empty());
  CHECK(insecure.config->platforms.at("opsgenie").insecure);
  const auto both = parse_platforms("    bitbucket: {insecure: true, webhook_secret_env: BB}\n");
  CHECK(errors(both.diagnostics) ==
        std::vector<std::string>{"daemon.yaml:6: spec.platforms.bitbucket.insecure: conflicts "
                                 "with the configured webhook secrets"});
}

TEST_CASE("generic and bitbucket settings; unknown platform keys are errors") {
  const auto load = parse_platforms(R"(    generic:
      webhook_secret_env: HOOK
      header: X-Signature
      algorithm: sha256
      encoding: hex
      prefix: "sha256="
      timestamp_header: X-Timestamp
    bitbucket:
      webhook_secret_env: BB_SECRET
      username_env: BITBUCKET_USERNAME
      app_password_env: BITBUCKET_APP_PASSWORD
)");
  CHECK(load.diagnostics.empty());
  CHECK(platform(load, "generic").settings ==
        std::map<std::string, std::string>{{"algorithm", "sha256"},
                                           {"encoding", "hex"},
                                           {"header", "X-Signature"},
                                           {"prefix", "sha256="},
                                           {"timestamp_header", "X-Timestamp"}});
  const auto& bb = platform(load, "bitbucket");
  CHECK(bb.token->value_env == "BITBUCKET_APP_PASSWORD");
  CHECK(bb.settings.at("username_env") == "BITBUCKET_USERNAME");
  const auto bad = parse_platforms(
      "    github:\n      webhook_secret_env: S\n      botname: x\n"
      "    slack:\n      header: X\n");
  CHECK(errors(bad.diagnostics) ==
        std::vector<std::string>{
            "daemon.yaml:8: spec.platforms.github.botname: unknown key (did you mean bot_name?)",
            "daemon.yaml:10: spec.platforms.slack.header: unknown key"});
}

TEST_CASE("pagerduty: from, the user its incident notes are posted as") {
  const auto load = parse_platforms(R"(    pagerduty:
      webhook_secret_env: PD_SECRET
      token_env: PD_TOKEN
      from: oncall@example.com
)");
  CHECK(load.diagnostics.empty());
  const auto& pd = platform(load, "pagerduty");
  CHECK(pd.token->value_env == "PD_TOKEN");
  CHECK(pd.settings == std::map<std::string, std::string>{{"from", "oncall@example.com"}});
}

TEST_CASE("null values mean unset, as in AOF") {
  const auto load = parse_platforms(
      "    telegram:\n      bot_token_env: T\n      webhook_secret: null\n"
      "      insecure: true\n");
  CHECK(load.diagnostics.empty());
  CHECK(platform(load, "telegram").webhook_secrets.empty());
}

}  // namespace aof::config
