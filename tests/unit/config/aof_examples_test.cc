// AOF's own files (tests/testdata/config/aof-examples, copied with their layout from the AOF
// repository): every file AOF loads validates with zero errors (reference §8); the broken
// ones fail with file:line errors instead of being skipped silently.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>

#include "common/config/loader.h"
#include "tests/unit/config/test_util.h"

namespace aof::config {
namespace {

using test::errors;

std::string example(const std::string& relative) {
  return test::testdata("aof-examples/" + relative);
}

// Reference §8's "OK" files (the library/ catalogue is checked separately).
const std::vector<std::string> kLoadableByAof = {
    "agents/github-pr-reviewer.yaml",
    "agents/k8s-ops.yaml",
    "examples/agents/k8s-ops.yaml",
    "examples/agents/devops.yaml",
    "examples/agents/hybrid-agent.yaml",
    "examples/docs-tests/01-basic-agent.yaml",
    "examples/docs-tests/05-tools-basic.yaml",
    "examples/docs-tests/09-mcp-k8s-style.yaml",
    "examples/fleets/mock-tiered-fleet.yaml",
    "examples/fleets/real/multi-model-rca-real.yaml",
    "examples/fleets/rca-deep-fleet.yaml",
    "examples/quickstart/code-review-fleet.yaml",
    "examples/fleets/simple-test-fleet.yaml",
    "examples/fleets/code-review-fleet.yaml",
    "examples/docs-tests/04-fleet-example.yaml",
    "examples/docs-tests/07-multi-agent-fleet.yaml",
    "flows/github/pr-review.yaml",
    "examples/flows/k8s-health-check.yaml",
    "examples/flows/data-pipeline.yaml",
    "examples/flows/docker-troubleshoot-script.yaml",
    "examples/quickstart/docker-troubleshoot-flow.yaml",
    "config/github-triggers.yaml",
    "examples/triggers/slack-starter.yaml",
    "examples/triggers/telegram-oncall.yaml",
    "examples/triggers/jira-bug-triage.yaml",
    "examples/triggers/discord-starter.yaml",
    "config/aof/daemon.yaml",
    "examples/daemon-config.yaml",
    "configs/telegram-test.yaml",
    "examples/docs-tests/12-daemon-config.yaml",
    "examples/config/daemon.yaml",
    "examples/contexts/prod.yaml",
    "examples/contexts/dev.yaml",
    "examples/workflows/simple-workflow.yaml",  // a kind we skip: a warning, not an error
};

const char* kNodeTypes =
    "must be one of: Transform, Agent, Script, Fleet, Conditional, Slack, Discord, HTTP, Wait, "
    "Parallel, Join, Approval, End";

}  // namespace

TEST_CASE("every file AOF loads validates with zero errors") {
  for (const auto& file : kLoadableByAof) {
    const auto diagnostics = validate_paths({example(file)});
    CHECK_MESSAGE(errors(diagnostics).empty(), file, ": ", errors(diagnostics).front());
  }
}

TEST_CASE("the 30 catalogue agents of library/ load") {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(example("library"))) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  REQUIRE(files.size() == 30);
  const auto load = load_resource_paths(files);
  CHECK(errors(load.diagnostics).empty());
  CHECK(load.resources.agents.size() == 30);
  CHECK(load.resources.agents.at("pod-doctor").model.find("gemini") != std::string::npos);
}

TEST_CASE("AOF's daemon configs load with AOF's meaning") {
  const auto load = load_daemon_config(example("config/aof/daemon.yaml"));
  REQUIRE(load.config);
  const DaemonConfig& c = *load.config;
  CHECK(c.name == "production");
  CHECK(c.server.port == 8080);
  CHECK(c.server.timeout_secs == 60);
  CHECK(c.platforms.at("slack").webhook_secrets.at(0).value_env == "SLACK_SIGNING_SECRET");
  CHECK(c.platforms.at("slack").token->value_env == "SLACK_BOT_TOKEN");
  CHECK(c.platforms.at("telegram").webhook_secrets.empty());  // webhook_secret: null
  CHECK(c.platforms.at("github").bot_name == "aofbot");
  CHECK(c.triggers.directory == "./config");
  CHECK(c.flows.directory == "./flows");
  CHECK(c.flows.watch);
  CHECK(c.runtime.max_tasks_per_user == 5);
  CHECK(c.runtime.default_agent == "devops-agent");
  CHECK(c.mode == Mode::kStandalone);  // AOF has no mode: our default
  const auto extended = load_daemon_config(example("examples/config/daemon.yaml"));
  REQUIRE(extended.config);
  CHECK(extended.config->fleets.directory == "./examples/fleets/");
  CHECK(extended.config->platforms.at("bitbucket").token->value_env == "BITBUCKET_APP_PASSWORD");
  CHECK_FALSE(extended.config->platforms.at("gitlab").enabled);
}

TEST_CASE("the broken files of reference §8 fail with file:line errors") {
  const auto first_error = [](const std::string& file) {
    const auto e = errors(validate_paths({example(file)}));
    REQUIRE_MESSAGE(!e.empty(), file);
    return e.front();
  };
  CHECK(first_error("flows/github/pr-review-flow.yaml") ==
        example("flows/github/pr-review-flow.yaml") +
            ":15: invalid YAML: unknown escape character: {");
  CHECK(first_error("examples/flows/deploy-flow.yaml") ==
        example("examples/flows/deploy-flow.yaml") + ":92: spec.nodes[7].type: " + kNodeTypes);
  CHECK(first_error("examples/flows/incident-flow.yaml") ==
        example("examples/flows/incident-flow.yaml") +
            ":56: spec.nodes[2].config: type Agent needs agent, inline or agentConfig");
  CHECK(first_error("examples/fleets/aws-fleet.yaml") ==
        example("examples/fleets/aws-fleet.yaml") + ":22: spec.agents[0].name: required");
  CHECK(first_error("examples/fleets/deep-analysis-fleet.yaml") ==
        example("examples/fleets/deep-analysis-fleet.yaml") +
            ":186: spec.coordination.distribution: must be one of: round-robin, least-loaded, "
            "random, skill-based, sticky");
  CHECK(first_error("examples/fleets/incident-response-team.yaml") ==
        example("examples/fleets/incident-response-team.yaml") +
            ":105: spec.shared.memory.type: must be one of: inmemory, redis, sqlite, postgres");
  CHECK(first_error("examples/agents/datadog-ops.yaml") ==
        example("examples/agents/datadog-ops.yaml") + ":400: spec.memory.type: required");
  CHECK(first_error("examples/agents/github-assistant-agent.yaml") ==
        example("examples/agents/github-assistant-agent.yaml") +
            ":92: spec.memory.type: unsupported memory type conversation; use InMemory or File");
  CHECK(first_error("examples/triggers/teams-starter.yaml") ==
        example("examples/triggers/teams-starter.yaml") +
            ":27: spec.type: type Teams is not supported");
  CHECK(first_error("examples/triggers/whatsapp-starter.yaml") ==
        example("examples/triggers/whatsapp-starter.yaml") +
            ":34: spec.config.bot_token: required for type WhatsApp");
  CHECK(first_error("examples/triggers/pagerduty.yaml") ==
        example("examples/triggers/pagerduty.yaml") +
            ":17: spec.config.api_key: api_key or routing_key is required for type PagerDuty");
  CHECK(errors(validate_paths({example("examples/complete/single-bot/daemon-config.yaml")})) ==
        std::vector<std::string>{example("examples/complete/single-bot/daemon-config.yaml") +
                                     ":16: spec.triggers: must be a map",
                                 example("examples/complete/single-bot/daemon-config.yaml") +
                                     ":28: spec.workflows: unknown key",
                                 example("examples/complete/single-bot/daemon-config.yaml") +
                                     ":36: spec.contexts: must be a map",
                                 example("examples/complete/single-bot/daemon-config.yaml") +
                                     ":42: spec.agents: must be a map"});
  // Multi-document files are accepted here and judged per document: the Trigger passes, the
  // documents of kinds nobody implements do not.
  CHECK(errors(validate_paths({example("examples/triggers/github-pr-review.yaml")})) ==
        std::vector<std::string>{
            example("examples/triggers/github-pr-review.yaml") + ":407: kind: unknown kind Fleet",
            example("examples/triggers/github-pr-review.yaml") + ":489: kind: unknown kind Flow"});
}

TEST_CASE("validating the whole corpus recursively flags exactly the broken files") {
  std::set<std::string> failing;
  for (const auto& d : validate_paths({example("")}, true)) {
    if (d.severity == Severity::kError) failing.insert(d.file);
  }
  const std::set<std::string> broken = {example("flows/github/pr-review-flow.yaml"),
                                        example("examples/flows/deploy-flow.yaml"),
                                        example("examples/flows/incident-flow.yaml"),
                                        example("examples/fleets/aws-fleet.yaml"),
                                        example("examples/fleets/deep-analysis-fleet.yaml"),
                                        example("examples/fleets/incident-response-team.yaml"),
                                        example("examples/agents/datadog-ops.yaml"),
                                        example("examples/agents/github-assistant-agent.yaml"),
                                        example("examples/triggers/teams-starter.yaml"),
                                        example("examples/triggers/whatsapp-starter.yaml"),
                                        example("examples/triggers/pagerduty.yaml"),
                                        example("examples/complete/single-bot/daemon-config.yaml"),
                                        example("examples/triggers/github-pr-review.yaml")};
  CHECK(failing == broken);
  // Non-recursive: only the directory's own files (none directly in aof-examples/).
  CHECK(validate_paths({example("")}).empty());
}

}  // namespace aof::config
