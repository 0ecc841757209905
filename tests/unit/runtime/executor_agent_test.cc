// Agent targets through the executor: the agent looked up by name, its model's provider
// reached at the configured base URL, its tools from the injected factory, and each failure
// marked permanent or retryable as the worker needs.
#include <doctest/doctest.h>

#include <filesystem>

#include "common/runtime/executor.h"
#include "sidecar/httplib_client.h"
#include "tests/support/fake_env.h"
#include "tests/support/fake_tools.h"
#include "tests/support/scripted_http_server.h"

namespace aof::runtime {
namespace {

using nlohmann::json;

const char* kToolTurn = R"({"choices": [{"finish_reason": "tool_calls", "message": {
    "role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
    "function": {"name": "build_status", "arguments": "{\"q\":\"main\"}"}}]}}],
    "usage": {"prompt_tokens": 40, "completion_tokens": 9}})";
const char* kFinalTurn = R"({"choices": [{"finish_reason": "stop", "message": {
    "role": "assistant", "content": "main is green."}}],
    "usage": {"prompt_tokens": 60, "completion_tokens": 4}})";

config::Agent helper_agent() {
  config::Agent agent;
  agent.name = "helper";
  agent.model = "openai:gpt-4o-mini";
  agent.instructions = "Answer about builds.";
  agent.max_iterations = 4;
  agent.temperature = 0.2;
  return agent;
}

event::Envelope agent_event(const std::string& name, const std::string& text) {
  event::Envelope e;
  e.id = "01JEVENT0000000000000000AA";
  e.platform = "slack";
  e.target = {event::TargetKind::kAgent, name};
  e.text = text;
  return e;
}

// An executor whose agents reach `server` as OpenAI and get `tools`.
struct AgentExecutor {
  aof::testing::ScriptedHttpServer server;
  FakeClock clock;
  std::map<std::string, std::string> env = {{"OPENAI_API_KEY", "sk-test"}};
  std::vector<Millis> sleeps;
  tools::ToolSet tools;
  std::vector<std::string> tools_asked_for;

  Executor make() {
    auto resources = std::make_shared<config::ResourceSet>();
    resources->agents["helper"] = helper_agent();
    config::RuntimeConfig runtime;
    runtime.llm_base_urls["openai"] = server.base_url() + "/v1";
    ExecutorDeps deps;
    deps.http = std::make_shared<const sidecar::HttplibClient>();
    deps.env = aof::testing::fake_env(env);
    deps.tools_for_agent = [this](const config::Agent& agent) {
      tools_asked_for.push_back(agent.name);
      return tools;
    };
    deps.sleep = [this](Millis wait) { sleeps.push_back(wait); };
    return Executor(resources, runtime, clock, deps);
  }

  Result<json> run(const std::string& text, bool* permanent, const std::string& name = "helper") {
    return make().execute(agent_event(name, text), ExecutionContext{"w1", nullptr}, permanent);
  }
};

}  // namespace

TEST_CASE("an Agent target runs the tool loop and returns output, iterations, usage, tools") {
  AgentExecutor fixture;
  fixture.server.reply_json(kToolTurn);
  fixture.server.reply_json(kFinalTurn);
  auto status = aof::testing::fixed_tool("build_status", {{"main", "green"}});
  fixture.tools = {status};
  bool permanent = true;
  auto result = fixture.run("<@U042> is main green?", &permanent);

  REQUIRE_MESSAGE(result.ok(), result.error().message());
  CHECK_FALSE(permanent);
  CHECK(*result == json{{"output", "main is green."},
                        {"iterations", 2},
                        {"usage", {{"input_tokens", 100}, {"output_tokens", 13}}},
                        {"tool_calls", {"build_status"}}});
  CHECK(fixture.tools_asked_for == std::vector<std::string>{"helper"});
  const json first = json::parse(fixture.server.requests().at(0).body);
  CHECK(first["messages"] ==
        json{{{"role", "system"}, {"content", "Answer about builds."}},
             {{"role", "user"}, {"content", "is main green?"}}});  // mention stripped
  CHECK(first["temperature"] == 0.2);
  // The tool worked in a private scratch directory that is gone after the run.
  REQUIRE(status->run_dirs().size() == 1);
  CHECK_FALSE(status->run_dirs()[0].empty());
  CHECK_FALSE(std::filesystem::exists(status->run_dirs()[0]));
}

TEST_CASE("an agent's tools are built once, with the executor, not per event") {
  AgentExecutor fixture;
  fixture.server.reply_json(kFinalTurn);
  Executor executor = fixture.make();
  for (int i = 0; i < 3; ++i) {
    bool permanent = true;
    REQUIRE(
        executor.execute(agent_event("helper", "status?"), ExecutionContext{}, &permanent).ok());
  }
  CHECK(fixture.server.requests().size() == 3);
  CHECK(fixture.tools_asked_for == std::vector<std::string>{"helper"});
}

TEST_CASE("a greeting is answered without calling the model") {
  AgentExecutor fixture;
  bool permanent = true;
  auto result = fixture.run("<@U042> hi", &permanent);
  REQUIRE(result.ok());
  CHECK((*result)["iterations"] == 0);
  CHECK((*result)["output"] ==
        "Hello! I am the helper agent. Tell me what you need and I will work on it.");
  CHECK(fixture.server.requests().empty());
}

TEST_CASE("an unknown agent is retryable: a config rollout may be in flight") {
  AgentExecutor fixture;
  bool permanent = true;
  auto result = fixture.run("status?", &permanent, "nobody");
  REQUIRE_FALSE(result.ok());
  CHECK_FALSE(permanent);
  CHECK(result.error().code() == ErrorCode::kUnavailable);
  CHECK(result.error().message() ==
        "agent \"nobody\" is not loaded by this worker (check spec.agents.directory; retrying "
        "in case a config rollout is in progress)");
}

TEST_CASE("permanent: a missing key, a refused key, too many iterations") {
  SUBCASE("missing key") {
    AgentExecutor fixture;
    fixture.env.clear();
    bool permanent = false;
    auto result = fixture.run("status?", &permanent);
    REQUIRE_FALSE(result.ok());
    CHECK(permanent);
    CHECK(result.error().message() ==
          "agent \"helper\": OPENAI_API_KEY is not set (the openai provider needs it; set it in "
          "the worker's environment)");
    CHECK(fixture.server.requests().empty());
  }
  SUBCASE("refused key") {
    AgentExecutor fixture;
    fixture.server.reply_json(R"({"error": {"message": "Incorrect API key provided"}})", 401);
    bool permanent = false;
    auto result = fixture.run("status?", &permanent);
    REQUIRE_FALSE(result.ok());
    CHECK(permanent);
    CHECK(result.error().code() == ErrorCode::kUnauthenticated);
    CHECK(fixture.server.requests().size() == 1);
  }
  SUBCASE("max_iterations") {
    AgentExecutor fixture;
    fixture.server.reply_json(kToolTurn);  // forever
    fixture.tools = {aof::testing::fixed_tool("build_status", "red")};
    bool permanent = false;
    auto result = fixture.run("status?", &permanent);
    REQUIRE_FALSE(result.ok());
    CHECK(permanent);
    CHECK(result.error().message() == "agent \"helper\": exceeded max_iterations (4)");
    CHECK(fixture.server.requests().size() == 4);
  }
}

TEST_CASE("a provider rate-limiting past the retries leaves the event retryable") {
  AgentExecutor fixture;
  fixture.server.reply({429, R"({"error": {"message": "Rate limit reached"}})", {}, {}});
  bool permanent = true;
  auto result = fixture.run("status?", &permanent);
  REQUIRE_FALSE(result.ok());
  CHECK_FALSE(permanent);
  CHECK(result.error().code() == ErrorCode::kResourceExhausted);
  CHECK(result.error().message() ==
        "agent \"helper\": iteration 1: openai gpt-4o-mini: HTTP 429: Rate limit reached (after "
        "3 attempts)");
  CHECK(fixture.sleeps == std::vector<Millis>{Millis(1000), Millis(2000)});
}

TEST_CASE("an executor built without an HTTP client refuses agents permanently") {
  auto resources = std::make_shared<config::ResourceSet>();
  resources->agents["helper"] = helper_agent();
  FakeClock clock;
  Executor executor(resources, config::RuntimeConfig{}, clock);
  bool permanent = false;
  auto result = executor.execute(agent_event("helper", "status?"), ExecutionContext{}, &permanent);
  REQUIRE_FALSE(result.ok());
  CHECK(permanent);
  CHECK(result.error().message() ==
        "agent \"helper\": this process has no HTTP client for LLM calls");
}

}  // namespace aof::runtime
