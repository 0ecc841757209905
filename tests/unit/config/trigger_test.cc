#include <doctest/doctest.h>

#include "common/config/loader.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/config/test_util.h"

namespace aof::config {
namespace {

using test::errors;
using test::warnings;

const char* kHelpers = R"(---
apiVersion: aof.dev/v1
kind: AgentFlow
metadata: {name: pr-summary}
spec:
  nodes: [{id: end, type: End}]
---
apiVersion: aof.dev/v1
kind: Agent
metadata: {name: pr-helper}
spec: {model: "openai:gpt-4o-mini"}
)";

}  // namespace

TEST_CASE("the reference Trigger loads: secret from ${VAR}, commands without '/'") {
  testing::TempDir dir;
  const std::string file = dir.write("gh.yaml", std::string(R"(apiVersion: aof.dev/v1
kind: Trigger
metadata: {name: gh-prs}
spec:
  type: GitHub
  config:
    webhook_secret: ${GITHUB_WEBHOOK_SECRET}
    repositories: [acme/api, "acme/*"]
    github_events: [pull_request]
    branches: [main]
  commands:
    pull_request.opened: {flow: pr-summary, description: summarize new PRs}
    /summarize: {agent: pr-helper}
    /help: {agent: builtin}
)") + kHelpers);
  const auto load = load_resource_paths({file});
  CHECK(errors(load.diagnostics).empty());
  CHECK(warnings(load.diagnostics) ==
        std::vector<std::string>{file + ":10: spec.config.branches: unknown key; ignored"});
  const Trigger& t = load.resources.triggers.at("gh-prs");
  CHECK(t.type == "GitHub");
  CHECK(t.enabled);
  CHECK(t.source == file + ":1");
  REQUIRE(t.webhook_secrets.size() == 1);
  CHECK(t.webhook_secrets[0].value_env == "GITHUB_WEBHOOK_SECRET");
  CHECK(t.webhook_secrets[0].value.empty());
  CHECK(t.webhook_secrets[0].origin == file + ":7");
  CHECK(t.repositories == std::vector<std::string>{"acme/api", "acme/*"});
  CHECK(t.github_events == std::vector<std::string>{"pull_request"});
  CHECK(t.config["branches"] == nlohmann::json::array({"main"}));
  CHECK(t.config["webhook_secret"] == "${GITHUB_WEBHOOK_SECRET}");
  REQUIRE(t.commands.size() == 3);
  CHECK(t.commands.at("pull_request.opened").flow == "pr-summary");
  CHECK(t.commands.at("pull_request.opened").description == "summarize new PRs");
  CHECK(t.commands.at("summarize").agent == "pr-helper");
  CHECK(t.commands.at("help").agent == "builtin");
  CHECK(load.resources.flows.count("pr-summary") == 1);
  CHECK(load.resources.agents.count("pr-helper") == 1);
}

TEST_CASE("a chat trigger's own key is its secret: Slack signing_secret, Discord public_key") {
  testing::TempDir dir;
  const std::string file = dir.write("chat.yaml", R"(apiVersion: aof.dev/v1
kind: Trigger
metadata: {name: slack-ops}
spec:
  type: Slack
  config:
    bot_token: ${SLACK_BOT_TOKEN}
    signing_secret: ${SLACK_OPS_SIGNING_SECRET}
---
apiVersion: aof.dev/v1
kind: Trigger
metadata: {name: discord-ops}
spec:
  type: Discord
  config:
    bot_token: ${DISCORD_BOT_TOKEN}
    public_key: d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a
---
apiVersion: aof.dev/v1
kind: Trigger
metadata: {name: github-ops}
spec:
  type: GitHub
  config:
    signing_secret: ${NOT_A_GITHUB_KEY}
)");
  const auto load = load_resource_paths({file});
  CHECK(errors(load.diagnostics).empty());
  CHECK(warnings(load.diagnostics).empty());  // a public key is not a secret: no warning
  const Trigger& slack = load.resources.triggers.at("slack-ops");
  REQUIRE(slack.webhook_secrets.size() == 1);
  CHECK(slack.webhook_secrets[0].value_env == "SLACK_OPS_SIGNING_SECRET");
  CHECK(slack.webhook_secrets[0].origin == file + ":8");
  const Trigger& discord = load.resources.triggers.at("discord-ops");
  REQUIRE(discord.webhook_secrets.size() == 1);
  CHECK(discord.webhook_secrets[0].value ==
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  CHECK(load.resources.triggers.at("github-ops").webhook_secrets.empty());
}

TEST_CASE("trigger secrets: literal warns, our list is accepted, partial ${} is refused") {
  testing::TempDir dir;
  const std::string file = dir.write("t.yaml", R"(kind: Trigger
metadata: {name: hook}
spec:
  type: Generic
  enabled: false
  config:
    webhook_secret: plain-text-secret
    api_key: literal-key
    webhook_secrets:
      - {value_file: /run/secrets/hook, not_after: 1700000000}
)");
  const auto load = load_resource_paths({file});
  CHECK(errors(load.diagnostics).empty());
  CHECK(warnings(load.diagnostics) ==
        std::vector<std::string>{file + ":7: spec.config.webhook_secret: literal secret; prefer "
                                        "${VAR} or webhook_secrets[].value_file",
                                 file + ":8: spec.config.api_key: literal secret; prefer ${VAR}"});
  for (const auto& d : load.diagnostics) {
    CHECK(d.to_string().find("plain-text") == std::string::npos);
    CHECK(d.to_string().find("literal-key") == std::string::npos);
  }
  const Trigger& t = load.resources.triggers.at("hook");
  CHECK_FALSE(t.enabled);
  REQUIRE(t.webhook_secrets.size() == 2);
  CHECK(t.webhook_secrets[0].value == "plain-text-secret");
  CHECK(t.webhook_secrets[1].value_file == "/run/secrets/hook");
  CHECK(t.webhook_secrets[1].not_after == 1700000000);
  const std::string partial = dir.write("p.yaml",
                                        "kind: Trigger\nmetadata: {name: p}\nspec:\n"
                                        "  type: GitHub\n  config:\n"
                                        "    webhook_secret: pre-${X}\n");
  CHECK(errors(validate_paths({partial})) ==
        std::vector<std::string>{partial + ":6: spec.config.webhook_secret: only a whole ${VAR} "
                                           "reference is supported"});
}

TEST_CASE("trigger types: AOF's and ours accepted, Teams and typos refused") {
  testing::TempDir dir;
  const auto typed = [&](const std::string& type) {
    return dir.write(type + ".yaml",
                     "kind: Trigger\nmetadata: {name: t}\nspec:\n  type: " + type +
                         "\n  config: {bot_token: \"${T}\", cron: \"* * * * *\"}\n");
  };
  for (const char* ok : {"GitLab", "Bitbucket", "Opsgenie", "Generic", "Slack", "Schedule", "HTTP",
                         "Manual", "Jira"}) {
    CHECK_MESSAGE(errors(validate_paths({typed(ok)})).empty(), ok);
  }
  const std::string teams = typed("Teams");
  CHECK(errors(validate_paths({teams})) ==
        std::vector<std::string>{teams + ":4: spec.type: type Teams is not supported"});
  const std::string lower = typed("github");
  CHECK(errors(validate_paths({lower})) ==
        std::vector<std::string>{
            lower + ":4: spec.type: must be one of: Slack, Telegram, Discord, WhatsApp, HTTP, "
                    "Schedule, PagerDuty, GitHub, Jira, Manual, GitLab, Bitbucket, Opsgenie, "
                    "Generic"});
}

TEST_CASE("AOF's per-type requirements and structure errors") {
  testing::TempDir dir;
  const std::string file = dir.write("bad.yaml", R"(kind: Trigger
metadata: {name: slack}
spec:
  type: Slack
  config:
    signing_secret: ${S}
    chat_ids: [12, abc]
  commands:
    /a: {agent: x}
    a: {agent: y}
    /b: flow-name
---
kind: Trigger
metadata: {}
spec:
  config: {}
---
kind: Trigger
metadata: {name: pd}
spec: {type: PagerDuty}
)");
  CHECK(errors(validate_paths({file})) ==
        std::vector<std::string>{
            file + ":7: spec.config.chat_ids[1]: must be an integer",
            file + ":10: spec.commands.a: duplicate command a",
            file + ":11: spec.commands./b: must be a map",
            file + ":6: spec.config.bot_token: required for type Slack",
            file + ":14: metadata.name: required", file + ":16: spec.type: required",
            file + ":20: spec.config.api_key: api_key or routing_key is required for type "
                   "PagerDuty"});
}

TEST_CASE("a command naming a missing flow is an error at the trigger's line and path") {
  testing::TempDir dir;
  const std::string file = dir.write("triggers/gh.yaml", R"(apiVersion: aof.dev/v1
kind: Trigger
metadata: {name: gh}
spec:
  type: GitHub
  commands:
    pull_request.opened:
      flow: github-pr-review
    /deploy:
      fleet: deployers
    /ask:
      agent: nobody
)");
  const auto load = load_resource_paths({file});
  CHECK(errors(load.diagnostics) ==
        std::vector<std::string>{
            file + ":8: spec.commands.pull_request.opened.flow: unknown flow github-pr-review",
            file + ":10: spec.commands./deploy.fleet: unknown fleet deployers",
            file + ":12: spec.commands./ask.agent: unknown agent nobody"});
  // validate checks structure only: the same file passes.
  CHECK(errors(validate_paths({file})).empty());
}

TEST_CASE("report: review is ours, comment the default; other values refused") {
  testing::TempDir dir;
  const std::string file = dir.write("gh.yaml", R"(apiVersion: aof.dev/v1
kind: Trigger
metadata: {name: gh}
spec:
  type: GitHub
  commands:
    pull_request.opened: {agent: pr-helper, report: review}
    /summarize: {agent: pr-helper, report: comment}
    /ask: {agent: pr-helper}
    /tell: {agent: pr-helper, report: approve}
---
apiVersion: aof.dev/v1
kind: Trigger
metadata: {name: slack}
spec:
  type: Slack
  config: {bot_token: "${T}"}
  commands:
    /review: {agent: pr-helper, report: review}
)");
  const auto diagnostics = validate_paths({file});
  CHECK(errors(diagnostics) ==
        std::vector<std::string>{file + ":10: spec.commands./tell.report: must be one of: "
                                        "comment, review"});
  CHECK(warnings(diagnostics) ==
        std::vector<std::string>{file + ":19: spec.commands./review.report: only GitHub pull "
                                        "requests get a review; a Slack result is posted as "
                                        "usual"});
  const std::string good = dir.write("good.yaml", R"(apiVersion: aof.dev/v1
kind: Trigger
metadata: {name: gh}
spec:
  type: GitHub
  commands:
    pull_request.opened: {agent: pr-helper, report: review}
    /ask: {agent: pr-helper}
)" + std::string(kHelpers));
  const auto load = load_resource_paths({good});
  CHECK(errors(load.diagnostics).empty());
  CHECK(warnings(load.diagnostics).empty());
  const Trigger& t = load.resources.triggers.at("gh");
  CHECK(t.commands.at("pull_request.opened").report == "review");
  CHECK(t.commands.at("ask").report == "comment");
}

}  // namespace aof::config
