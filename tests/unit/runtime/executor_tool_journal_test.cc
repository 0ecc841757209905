// The tool journal through the executor (agent/tool_journal.h): with a state store, an Agent
// target's call with an outside effect is made once per event generation, however often the
// event is delivered; without one, every delivery makes it.
#include <doctest/doctest.h>

#include <atomic>

#include "common/queue/memory.h"
#include "common/runtime/executor.h"
#include "sidecar/httplib_client.h"
#include "tests/support/fake_env.h"
#include "tests/support/fake_tools.h"
#include "tests/support/scripted_http_server.h"

namespace aof::runtime {
namespace {

using nlohmann::json;

const char* kDeployTurn = R"({"choices": [{"finish_reason": "tool_calls", "message": {
    "role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
    "function": {"name": "deploy", "arguments": "{\"q\":\"web\"}"}}]}}],
    "usage": {"prompt_tokens": 40, "completion_tokens": 9}})";
const char* kFinalTurn = R"({"choices": [{"finish_reason": "stop", "message": {
    "role": "assistant", "content": "deployed."}}],
    "usage": {"prompt_tokens": 60, "completion_tokens": 4}})";

// An executor with agent "ops", whose tool "deploy" counts its calls, reaching `server` as
// OpenAI; the model asks for one deploy per delivery.
struct DeployExecutor {
  aof::testing::ScriptedHttpServer server;
  FakeClock clock;
  std::atomic<int> deploys{0};

  Executor make(std::shared_ptr<queue::StateStore> state) {
    auto resources = std::make_shared<config::ResourceSet>();
    config::Agent agent;
    agent.name = "ops";
    agent.model = "openai:gpt-4o-mini";
    resources->agents["ops"] = agent;
    config::RuntimeConfig runtime;
    runtime.llm_base_urls["openai"] = server.base_url() + "/v1";
    ExecutorDeps deps;
    deps.http = std::make_shared<const sidecar::HttplibClient>();
    deps.env = aof::testing::fake_env({{"OPENAI_API_KEY", "sk-test"}});
    deps.tools_for_agent = [this](const config::Agent&) {
      return tools::ToolSet{std::make_shared<aof::testing::FunctionTool>(
          "deploy", [this](const json&, const tools::ToolCallContext&) {
            tools::ToolResult result;
            result.success = true;
            result.data = {{"deploy", ++deploys}};
            return result;
          })};
    };
    deps.state = std::move(state);
    return Executor(resources, runtime, clock, deps);
  }

  // Delivers the event `generation` once; the model deploys, then answers.
  void deliver(const Executor& executor, int generation) {
    server.reply_json(kDeployTurn);
    server.reply_json(kFinalTurn);
    event::Envelope e;
    e.id = "01JDEPLOY00000000000000EV1";
    e.generation = generation;
    e.platform = "slack";
    e.target = {event::TargetKind::kAgent, "ops"};
    e.text = "deploy web please";
    bool permanent = false;
    auto result = executor.execute(e, ExecutionContext{"w1", nullptr}, &permanent);
    REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().message()));
    CHECK((*result)["output"] == "deployed.");
  }
};

}  // namespace

TEST_CASE("executor: a redelivered event does not deploy twice; a replay deploys again") {
  DeployExecutor fixture;
  FakeClock clock;
  const Executor executor = fixture.make(queue::make_memory_state(clock));
  fixture.deliver(executor, 0);
  fixture.deliver(executor, 0);  // a redelivery: the worker died before it acked
  CHECK(fixture.deploys == 1);
  fixture.deliver(executor, 1);  // aof dlq replay
  CHECK(fixture.deploys == 2);
  // The model of the redelivery read the first deploy's result.
  const auto requests = fixture.server.requests();
  REQUIRE(requests.size() == 6);
  const json second = json::parse(requests[3].body);
  CHECK(second["messages"].back()["content"].get<std::string>().find("\"deploy\":1") !=
        std::string::npos);
}

TEST_CASE("executor: without a state store every delivery runs its tool calls") {
  DeployExecutor fixture;
  const Executor executor = fixture.make(nullptr);
  fixture.deliver(executor, 0);
  fixture.deliver(executor, 0);
  CHECK(fixture.deploys == 2);
}

}  // namespace aof::runtime
