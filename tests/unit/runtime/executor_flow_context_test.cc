// A flow's spec.context reaches the command tools of its agents (issue 8 item 3): the shell
// a flow's Agent node calls sees KUBECONFIG, K8S_NAMESPACE and `env` and starts in
// workingDir, while the worker's own environment and directory stay as they were.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "common/runtime/executor.h"
#include "common/runtime/tools/shell_tool.h"
#include "sidecar/httplib_client.h"
#include "tests/support/fake_env.h"
#include "tests/support/openai_replies.h"
#include "tests/support/scripted_http_server.h"
#include "tests/support/temp_dir.h"

namespace aof::runtime {
namespace {

using nlohmann::json;

std::string shell_call(const std::string& command) {
  return aof::testing::openai_tool_call("call_1", "shell", json{{"command", command}});
}

TEST_CASE("a flow's context is the environment and directory of its agents' shell") {
  aof::testing::ScriptedHttpServer llm;
  llm.reply_json(shell_call("printf '%s|%s|%s|' \"$KUBECONFIG\" \"$K8S_NAMESPACE\" \"$TEAM\"; pwd"));
  llm.reply_json(aof::testing::openai_answer("done"));
  const aof::testing::TempDir workdir;

  auto resources = std::make_shared<config::ResourceSet>();
  config::Agent ops;
  ops.name = "ops";
  ops.model = "openai:gpt-4o-mini";
  resources->agents["ops"] = ops;
  config::AgentFlow flow;
  flow.name = "with-context";
  flow.context.emplace();
  flow.context->kubeconfig = "/etc/kube/${event.text}.yaml";
  flow.context->namespace_ = "payments";
  flow.context->env = {{"TEAM", "sre"}};
  flow.context->working_dir = workdir.path().string();
  config::FlowNode ask{"ask", config::NodeType::kAgent, {}, {}, ""};
  ask.config.agent = "ops";
  ask.config.input = "check";
  flow.nodes = {ask};
  resources->flows["with-context"] = flow;

  config::RuntimeConfig runtime;
  runtime.llm_base_urls["openai"] = llm.base_url() + "/v1";
  ExecutorDeps deps;
  deps.http = std::make_shared<const sidecar::HttplibClient>();
  deps.env = aof::testing::fake_env({{"OPENAI_API_KEY", "sk-test"}});
  deps.tools_for_agent = [](const config::Agent&) {
    return tools::ToolSet{tools::make_shell_tool()};
  };
  Executor executor(resources, runtime, SystemClock::instance(), deps);
  event::Envelope e;
  e.id = "01JCONTEXT0000000000000001";
  e.platform = "slack";
  e.target = {event::TargetKind::kAgentFlow, "with-context"};
  e.text = "prod";
  const auto before = std::filesystem::current_path();
  bool permanent = false;
  auto result = executor.execute(e, ExecutionContext{"w1", nullptr}, &permanent);
  REQUIRE_MESSAGE(result.ok(), result.error().message());
  REQUIRE(llm.requests().size() == 2);
  const json second = json::parse(llm.requests()[1].body);
  const std::string tool_answer = second["messages"].back()["content"];
  const json tool = json::parse(tool_answer);
  const std::string stdout_text = tool["data"]["stdout"];
  CHECK(stdout_text == "/etc/kube/prod.yaml|payments|sre|" +
                           std::filesystem::canonical(workdir.path()).string() + "\n");
  // Nothing of it leaked into the worker process.
  CHECK(std::getenv("K8S_NAMESPACE") == nullptr);
  CHECK(std::filesystem::current_path() == before);
}

}  // namespace
}  // namespace aof::runtime
