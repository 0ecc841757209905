// MCP servers as an agent's tools: names, clashes, a failing server skipped, and through the
// tool loop: the real schema reaches the model, a call round-trips, isError reaches it as text.
#include "common/runtime/mcp/mcp_tools.h"

#include <doctest/doctest.h>

#include "common/runtime/agent/tool_loop.h"
#include "common/runtime/tools/registry.h"
#include "tests/unit/agent/fake_llm.h"
#include "tests/unit/mcp/mcp_test_util.h"

namespace aof::runtime::mcp {
namespace {

using Json = nlohmann::json;
using Names = std::vector<std::string>;
using testing::fake_server;

Names names_of(const tools::ToolSet& tools) {
  Names names;
  for (const auto& tool : tools) names.push_back(tool->spec().name);
  return names;
}

TEST_CASE("a server that fails to start is skipped with a warning; the others still serve") {
  std::vector<std::string> warnings;
  const auto tools = start_mcp_tools({fake_server("broken", {"--crash"}), fake_server("good")},
                                     nullptr, {}, "ops", warnings);
  CHECK(names_of(tools) == Names{"add", "fail", "env"});
  CHECK(warnings == std::vector<std::string>{
                        "agent ops: MCP server broken: initialize: MCP server broken exited; "
                        "skipped, the agent runs without it"});
}

TEST_CASE("a name two servers report, or a built-in has, is prefixed with the server name") {
  std::vector<std::string> warnings;
  ServerConfig first = fake_server("first");
  first.tool_filter = {"add", "fail"};
  ServerConfig second = fake_server("sec.ond");
  second.tool_filter = {"add"};
  const auto tools = start_mcp_tools({first, second}, nullptr, {"fail"}, "ops", warnings);
  CHECK(names_of(tools) == Names{"first__add", "first__fail", "sec_ond__add"});
  CHECK(warnings.empty());
  tools::ToolCallContext context;
  const auto result = tools[2]->call({{"a", 1}, {"b", 1}}, context);  // called by its own name
  CHECK(result.success);
  CHECK(result.data == "1+1=2.0");
}

TEST_CASE("tools_for_agent starts mcp_servers; only MCP tools then, as AOF") {
  config::Agent agent;
  agent.name = "ops";
  agent.tools = {"read_file"};
  agent.mcp_servers =
      Json::array({{{"name", "fake"}, {"command", fake_server("x").argv[0]}, {"tools", {"add"}}}});
  CHECK(names_of(tools::tools_for_agent(agent, {})) == Names{"add"});
}

TEST_CASE("through the tool loop: the real schema reaches the model; results and isError too") {
  std::vector<std::string> warnings;
  const auto tools = start_mcp_tools({fake_server("fake")}, nullptr, {}, "ops", warnings);
  aof::testing::FakeLlm llm;
  llm.answer_calls({{"add", {{"a", 2}, {"b", 40}}}, {"fail", {{"why", "no quota"}}}});
  llm.answer_text("done");
  auto result = agent::run_tool_loop(llm, tools, "add things", {});
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().message()));
  CHECK(result->output == "done");
  const auto requests = llm.requests();
  REQUIRE(requests.size() == 2);
  REQUIRE(requests[0].tools.size() == 3);
  CHECK(requests[0].tools[0].name == "add");
  CHECK(requests[0].tools[0].description == "Adds two numbers.");
  CHECK(requests[0].tools[0].parameters["required"] == Json{"a", "b"});
  CHECK(requests[0].tools[0].parameters["properties"]["a"]["type"] == "number");
  const auto& messages = requests[1].messages;
  REQUIRE(messages.size() == 4);  // user, assistant with two calls, two tool results
  CHECK(Json::parse(messages[2].text) == Json{{"success", true}, {"data", "2+40=42.0"}});
  CHECK(Json::parse(messages[3].text) ==
        Json{{"success", false}, {"data", nullptr}, {"error", "boom: no quota"}});
  CHECK(messages[3].is_error);
}

TEST_CASE("journal: a tool the server annotates readOnlyHint has no outside effect") {
  std::vector<std::string> warnings;
  const auto tools = start_mcp_tools({fake_server("good")}, nullptr, {}, "ops", warnings);
  REQUIRE(names_of(tools) == Names{"add", "fail", "env"});
  CHECK_FALSE(tools[0]->has_outside_effect({{"a", 1}, {"b", 2}}));  // readOnlyHint: true
  CHECK(tools[1]->has_outside_effect({{"why", "x"}}));              // no annotations
}

}  // namespace
}  // namespace aof::runtime::mcp
