// How a flow's Agent node gets its agent (reference §6.3), resolved at load: inline, a
// loaded agent, a file in the agents directory, agentConfig.
#include <doctest/doctest.h>

#include <filesystem>

#include "common/config/loader.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/config/test_util.h"

namespace aof::config {
namespace {

using test::errors;

const std::string kDaemon =
    "apiVersion: aof.dev/v1\nkind: DaemonConfig\nmetadata: {name: d}\n"
    "spec:\n  agents: {directory: agents}\n  flows: {directory: flows}\n";

std::string flow_with(const std::string& node_config) {
  return "apiVersion: aof.dev/v1\nkind: AgentFlow\nmetadata: {name: f}\nspec:\n  nodes:\n"
         "    - id: ask\n      type: Agent\n      config:\n" +
         node_config;
}

ResourceLoad load_from(const testing::TempDir& dir) {
  std::filesystem::create_directories(dir.path() / "agents");
  const auto daemon = load_daemon_config((dir.path() / "daemon.yaml").string());
  REQUIRE(daemon.config);
  return load_resources(*daemon.config);
}

}  // namespace

TEST_CASE("an inline agent is parsed with AOF's camelCase keys") {
  testing::TempDir dir;
  dir.write("daemon.yaml", kDaemon);
  dir.write("flows/f.yaml", flow_with(R"(        inline:
          name: triage
          model: openai:gpt-4o-mini
          instructions: Classify severity.
          tools: [kubectl]
          temperature: 0.1
          maxTokens: 300
)"));
  const auto load = load_from(dir);
  REQUIRE(errors(load.diagnostics) == std::vector<std::string>{});
  const auto& agent = load.resources.flows.at("f").nodes[0].config.inline_agent;
  REQUIRE(agent);
  CHECK(agent->name == "triage");
  CHECK(agent->instructions == "Classify severity.");
  CHECK(agent->tools == nlohmann::json{"kubectl"});
  CHECK(agent->temperature == 0.1);
  CHECK(agent->max_tokens == 300);
  CHECK(agent->max_iterations == 10);
}

TEST_CASE("agentConfig is parsed at load; its errors name the line inside the string") {
  testing::TempDir dir;
  dir.write("daemon.yaml", kDaemon);
  dir.write("flows/f.yaml", flow_with(R"(        agentConfig: |
          name: legacy
          model: openai:gpt-4o-mini
          system_prompt: Be brief.
)"));
  auto load = load_from(dir);
  REQUIRE(errors(load.diagnostics) == std::vector<std::string>{});
  const auto& legacy = load.resources.flows.at("f").nodes[0].config.legacy_agent;
  REQUIRE(legacy);
  CHECK(legacy->name == "legacy");
  CHECK(legacy->instructions == "Be brief.");

  const std::string file = dir.write("flows/f.yaml", flow_with(R"(        agentConfig: |
          apiVersion: aof.dev/v1
          kind: Agent
          metadata: {name: legacy}
          spec: {max_iterations: 0}
)"));
  load = load_from(dir);
  CHECK(
      errors(load.diagnostics) ==
      std::vector<std::string>{
          file + ":9: spec.nodes[0].config.agentConfig: line 4: spec.max_iterations: must be >= 1",
          file + ":9: spec.nodes[0].config.agentConfig: line 4: spec.model: required"});
}

TEST_CASE("a named agent not loaded is looked up in the agents directory, safely") {
  testing::TempDir dir;
  dir.write("daemon.yaml", kDaemon);
  // A flat agent: the directory scan skips it (no kind), the lookup finds it by name.
  dir.write("agents/helper-agent.yml", "name: helper\nmodel: openai:gpt-4o-mini\n");
  dir.write("flows/f.yaml", flow_with("        agent: helper\n"));
  auto load = load_from(dir);
  REQUIRE(errors(load.diagnostics) == std::vector<std::string>{});
  CHECK(load.resources.agents.at("helper").model == "openai:gpt-4o-mini");

  // The file must define the agent it is named for.
  dir.write("agents/other.yaml", "name: someone-else\nmodel: openai:gpt-4o-mini\n");
  const std::string flow = dir.write("flows/f.yaml", flow_with("        agent: other\n"));
  load = load_from(dir);
  CHECK(errors(load.diagnostics) ==
        std::vector<std::string>{flow + ":9: spec.nodes[0].config.agent: agent file " +
                                 (dir.path() / "agents/other.yaml").string() +
                                 " defines agent someone-else, not other"});

  // A name that is a path is never looked up.
  dir.write("outside.yaml", "name: ../outside\nmodel: openai:gpt-4o-mini\n");
  dir.write("flows/f.yaml", flow_with("        agent: ../outside\n"));
  load = load_from(dir);
  CHECK(
      errors(load.diagnostics) ==
      std::vector<std::string>{flow + ":9: spec.nodes[0].config.agent: unknown agent ../outside"});
}

TEST_CASE("a name that resolves to nothing falls back to agentConfig") {
  testing::TempDir dir;
  dir.write("daemon.yaml", kDaemon);
  dir.write("flows/f.yaml", flow_with(R"(        agent: missing
        agentConfig: "name: legacy\nmodel: openai:gpt-4o-mini\n"
)"));
  const auto load = load_from(dir);
  REQUIRE(errors(load.diagnostics) == std::vector<std::string>{});
  const auto& config = load.resources.flows.at("f").nodes[0].config;
  CHECK(config.agent.empty());  // the run takes agentConfig's agent
  REQUIRE(config.legacy_agent);
  CHECK(config.legacy_agent->name == "legacy");
}

}  // namespace aof::config
