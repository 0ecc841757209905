// tools_for_agent builds what the plan says, wired to the allow-lists and the HTTP client.
#include "common/runtime/tools/registry.h"

#include "tests/unit/tools/tools_test_util.h"

namespace aof::runtime::tools {
namespace {

using testing::error_of;
using testing::RunDirFixture;
using Names = std::vector<std::string>;

class NoHttp final : public HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest&) const override {
    return Error(ErrorCode::kUnavailable, "offline");
  }
};

Names names_of(const ToolSet& tools) {
  Names names;
  for (const auto& tool : tools) names.push_back(tool->spec().name);
  return names;
}

config::Agent agent_with(Json tools) {
  config::Agent agent;
  agent.name = "ops";
  agent.tools = std::move(tools);
  return agent;
}

TEST_CASE("the tools come in the plan's order, each named as the model will call it") {
  NoHttp http;
  const ToolSet tools = tools_for_agent(
      agent_with({"bash", "git", "read_file", "write_file", "list_directory", "search_files",
                  "http", "kubectl", "helm", "terraform", "aws", "docker"}),
      {&http, ""});
  CHECK(names_of(tools) == Names{"shell", "git", "read_file", "write_file", "list_directory",
                                 "search_files", "http_request", "kubectl", "helm", "terraform",
                                 "aws", "docker"});
}

TEST_CASE("http_request needs a client; without one it is left out, the rest stays") {
  CHECK(names_of(tools_for_agent(agent_with({"http", "read_file"}), {})) == Names{"read_file"});
}

TEST_CASE("a Shell entry's allow-list is enforced by the shell and the wrapper it adds") {
  RunDirFixture f;
  const ToolSet tools = tools_for_agent(
      agent_with(
          {{{"type", "Shell"}, {"config", {{"allowed_commands", {"echo", "kubectl get"}}}}}}),
      {});
  REQUIRE(names_of(tools) == Names{"shell", "kubectl"});
  CHECK(f.call(*tools[0], {{"command", "echo hi"}}).data["stdout"] == "hi\n");
  CHECK(error_of(f.call(*tools[0], {{"command", "touch x"}})) ==
        "\"touch x\" is not allowed; this agent's shell allows only: echo, kubectl get");
  CHECK(error_of(f.call(*tools[1], {{"command", "delete pod x"}})) ==
        "\"kubectl delete pod x\" is not allowed; this agent's kubectl allows only: kubectl get");
}

}  // namespace
}  // namespace aof::runtime::tools
