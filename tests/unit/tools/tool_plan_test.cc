// plan_tools: AOF's decision order (reference §4.4) as a table, the allow-lists it carries,
// and a warning for everything it ignores or skips.
#include "common/runtime/tools/tool_plan.h"

#include "common/config/loader.h"
#include "tests/unit/tools/tools_test_util.h"

namespace aof::runtime::tools {
namespace {

using Names = std::vector<std::string>;
using Lines = std::vector<std::string>;

config::Agent agent_with(Json tools, Json mcp_servers = Json::array()) {
  config::Agent agent;
  agent.name = "ops";
  agent.tools = std::move(tools);
  agent.mcp_servers = std::move(mcp_servers);
  return agent;
}

TEST_CASE("named tools: built-ins by name, bash/sh are shell, http is http_request, once each") {
  const ToolPlan plan = plan_tools(agent_with({"git",
                                               "read_file",
                                               "bash",
                                               "http",
                                               "kubectl",
                                               "sh",
                                               {{"name", "search_files"}},
                                               "write_file",
                                               "list_directory",
                                               "helm",
                                               "terraform",
                                               "aws",
                                               "docker",
                                               "shell"}));
  CHECK(plan.names == Names{"git", "read_file", "shell", "http_request", "kubectl", "search_files",
                            "write_file", "list_directory", "helm", "terraform", "aws", "docker"});
  CHECK(plan.allowed_commands.empty());
  CHECK(plan.http_methods.empty());
  CHECK(plan.warnings.empty());
  CHECK(plan_tools(agent_with(Json::array())).names.empty());
}

TEST_CASE("unknown names and AOF built-ins this worker lacks are skipped with a warning") {
  const ToolPlan plan = plan_tools(agent_with({"file", "prometheus_query", "git", "kubectl_get"}));
  CHECK(plan.names == Names{"git"});
  CHECK(plan.warnings ==
        Lines{"agent ops: tools[0]: unknown tool \"file\"; skipped (built-ins: shell, kubectl, "
              "helm, git, terraform, aws, docker, read_file, write_file, list_directory, "
              "search_files, http_request)",
              "agent ops: tools[1]: \"prometheus_query\" is an AOF built-in this worker does "
              "not provide yet; skipped",
              "agent ops: tools[3]: \"kubectl_get\" is an AOF built-in this worker does not "
              "provide yet; skipped"});
}

TEST_CASE("a Shell entry gives shell and each wrapper its allowed_commands name, restricted") {
  const ToolPlan plan = plan_tools(agent_with(
      {{{"type", "Shell"},
        {"config",
         {{"allowed_commands", {"kubectl get pods", "kubectl logs", "helm", "jq", "gitk"}}}}},
       "read_file"}));
  CHECK(plan.names == Names{"shell", "kubectl", "helm"});
  CHECK(plan.allowed_commands ==
        std::map<std::string, Lines>{
            {"shell", {"kubectl get pods", "kubectl logs", "helm", "jq", "gitk"}},
            {"kubectl", {"kubectl get pods", "kubectl logs"}},
            {"helm", {"helm"}}});
  CHECK(plan.warnings == Lines{"agent ops: tools[1]: \"read_file\" ignored: with a Shell, MCP "
                               "or HTTP entry in the list, AOF uses only those"});
}

TEST_CASE("typed entries: Shell without a list, HTTP with its methods, MCP as a server") {
  const ToolPlan plan = plan_tools(agent_with(
      {{{"type", "MCP"}, {"config", {{"name", "fs"}, {"command", "mcp-fs"}}}},
       {{"type", "Shell"}},
       {{"type", "HTTP"}, {"config", {{"base_url", "http://x"}, {"allowed_methods", {"GET"}}}}},
       {{"type", "HTTP"}, {"config", {{"allowedMethods", {"HEAD"}}}}}}));
  CHECK(plan.names == Names{"shell", "http_request"});
  CHECK(plan.allowed_commands.empty());  // shell allows everything
  CHECK(plan.http_methods == Lines{"GET", "HEAD"});
  CHECK(plan.warnings.empty());
  REQUIRE(plan.mcp_servers.size() == 1);
  CHECK(plan.mcp_servers[0].name == "fs");
  CHECK(plan.mcp_servers[0].argv == Lines{"mcp-fs"});
}

TEST_CASE("typed entries take mcp_servers too, after the MCP entries; a bad one is named") {
  const ToolPlan plan = plan_tools(
      agent_with({{{"type", "MCP"}, {"config", {{"name", "a"}, {"command", "srv --flag"}}}},
                  {{"type", "MCP"}, {"config", {{"name", "b"}}}}},
                 Json::array({{{"name", "c"}, {"transport", "http"}, {"endpoint", "http://h/mcp"}},
                              {{"name", "d"}, {"transport", "websocket"}}})));
  REQUIRE(plan.mcp_servers.size() == 2);
  CHECK(plan.mcp_servers[0].argv == Lines{"srv", "--flag"});
  CHECK(plan.mcp_servers[1].name == "c");
  CHECK(plan.mcp_servers[1].endpoint == "http://h/mcp");
  CHECK(plan.warnings ==
        Lines{"agent ops: tools[1]: MCP: command is required; skipped",
              "agent ops: mcp_servers[1]: transport must be stdio, http or sse, not "
              "\"websocket\"; skipped"});
}

TEST_CASE("mcp_servers, or a source: mcp entry, leave no built-ins, as in AOF") {
  const ToolPlan servers =
      plan_tools(agent_with({"git"}, Json::array({{{"name", "fs"},
                                                   {"command", "x"},
                                                   {"args", {"-v"}},
                                                   {"env", {{"K", "v"}}},
                                                   {"timeout_secs", 5},
                                                   {"tools", {"read"}},
                                                   {"auto_reconnect", false}}})));
  CHECK(servers.names.empty());
  CHECK(servers.warnings.empty());
  REQUIRE(servers.mcp_servers.size() == 1);
  CHECK(servers.mcp_servers[0].argv == Lines{"x", "-v"});
  CHECK(servers.mcp_servers[0].env == std::map<std::string, std::string>{{"K", "v"}});
  CHECK(servers.mcp_servers[0].timeout == Millis(5000));
  CHECK(servers.mcp_servers[0].tool_filter == Lines{"read"});
  CHECK_FALSE(servers.mcp_servers[0].auto_reconnect);
  const ToolPlan legacy = plan_tools(agent_with({"git", {{"name", "x"}, {"source", "mcp"}}}));
  CHECK(legacy.names.empty());
  CHECK(legacy.warnings.size() == 1);
  CHECK(legacy.warnings[0].find("agent ops: tools[1]: source: mcp sends AOF down") == 0);
}

TEST_CASE("named entries carry their allowed_commands; enabled: false drops one") {
  const ToolPlan plan = plan_tools(
      agent_with({{{"name", "shell"}, {"config", {{"allowed_commands", {"grep", "find"}}}}},
                  {{"name", "kubectl"}, {"config", {{"allowedCommands", {"kubectl get pods"}}}}},
                  {{"name", "git"}, {"enabled", false}},
                  {{"name", "read_file"}, {"enabled", true}}}));
  CHECK(plan.names == Names{"shell", "kubectl", "read_file"});
  CHECK(plan.allowed_commands == std::map<std::string, Lines>{{"shell", {"grep", "find"}},
                                                              {"kubectl", {"kubectl get pods"}}});
}

TEST_CASE("lists of several entries add up; an entry without one lifts the restriction") {
  const ToolPlan added =
      plan_tools(agent_with({{{"type", "Shell"}, {"config", {{"allowed_commands", {"ls"}}}}},
                             {{"type", "Shell"}, {"config", {{"allowed_commands", {"cat"}}}}}}));
  CHECK(added.allowed_commands == std::map<std::string, Lines>{{"shell", {"ls", "cat"}}});
  const ToolPlan lifted = plan_tools(
      agent_with({{{"name", "shell"}, {"config", {{"allowed_commands", {"ls"}}}}}, "bash"}));
  CHECK(lifted.names == Names{"shell"});
  CHECK(lifted.allowed_commands.empty());
}

TEST_CASE("a malformed allow-list drops the tool instead of allowing everything") {
  const ToolPlan plan =
      plan_tools(agent_with({{{"type", "Shell"}, {"config", {{"allowed_commands", "kubectl"}}}},
                             {{"type", "HTTP"}, {"config", {{"allowed_methods", {"GET", 1}}}}}}));
  CHECK(plan.names.empty());
  CHECK(plan.warnings ==
        Lines{"agent ops: tools[0]: allowed_commands must be a list of strings; shell skipped",
              "agent ops: tools[1]: allowed_methods must be a list of strings; http_request "
              "skipped"});
}

TEST_CASE("an agent file as AOF's examples write it plans as its author meant") {
  aof::testing::TempDir dir;
  const std::string file = dir.write("collector.yaml", R"(apiVersion: aof.dev/v1
kind: Agent
metadata:
  name: k8s-collector
spec:
  model: openai:gpt-4o-mini
  tools:
    - type: Shell
      config:
        allowed_commands:
          - kubectl get pods
          - kubectl describe pod
          - jq
)");
  const auto load = config::load_resource_paths({file});
  REQUIRE(load.resources.agents.contains("k8s-collector"));
  const ToolPlan plan = plan_tools(load.resources.agents.at("k8s-collector"));
  CHECK(plan.names == Names{"shell", "kubectl"});
  CHECK(plan.allowed_commands.at("kubectl") == Lines{"kubectl get pods", "kubectl describe pod"});
  CHECK(plan.warnings.empty());
}

}  // namespace
}  // namespace aof::runtime::tools
