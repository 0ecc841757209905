// Fleets through the executor (issue 8): a Fleet target and a flow's Fleet node share one
// path to the agent runtime, whose model calls reach a fake OpenAI; a flow's inline agent
// and its Slack node go through the same executor.
#include <doctest/doctest.h>

#include "common/runtime/executor.h"
#include "sidecar/httplib_client.h"
#include "tests/support/fake_env.h"
#include "tests/support/scripted_http_server.h"

namespace aof::runtime {
namespace {

using nlohmann::json;

std::string answer(const std::string& text) {
  return json{
      {"choices",
       {{{"finish_reason", "stop"}, {"message", {{"role", "assistant"}, {"content", text}}}}}},
      {"usage", {{"prompt_tokens", 10}, {"completion_tokens", 2}}}}
      .dump();
}

config::FleetMember member(const std::string& name, const std::string& role) {
  config::FleetMember m;
  m.name = name;
  m.role = role;
  m.agent.emplace();
  m.agent->name = name;
  m.agent->model = "openai:gpt-4o-mini";
  m.agent->instructions = "You are the " + name + ".";
  return m;
}

// An incident team (a manager and one worker, so the model calls come one after another)
// and a flow that runs it, then posts its answer to Slack.
std::shared_ptr<config::ResourceSet> resources() {
  auto r = std::make_shared<config::ResourceSet>();
  config::AgentFleet team;
  team.name = "incident-team";
  team.agents = {member("lead", "manager"), member("logs", "worker")};
  team.coordination = {{"mode", "hierarchical"}};
  r->fleets["incident-team"] = team;

  config::AgentFlow flow;
  flow.name = "incident-brief";
  config::FlowNode investigate{"investigate", config::NodeType::kFleet, {}, {}, ""};
  investigate.config.fleet = "incident-team";
  investigate.config.input = "${event.text}";
  config::FlowNode tell{"tell", config::NodeType::kSlack, {}, {}, ""};
  tell.config.channel = "#incidents";
  tell.config.message = "${investigate.output.output}";
  flow.nodes = {investigate, tell};
  flow.connections = {{"start", "investigate", ""}, {"investigate", "tell", ""}};
  r->flows["incident-brief"] = flow;

  config::AgentFlow classify;
  classify.name = "classify";
  config::FlowNode ask{"ask", config::NodeType::kAgent, {}, {}, ""};
  ask.config.inline_agent.emplace();
  ask.config.inline_agent->name = "sev";
  ask.config.inline_agent->model = "openai:gpt-4o-mini";
  ask.config.inline_agent->instructions = "Answer P1 to P4.";
  ask.config.input = "Severity of: ${event.text}";
  classify.nodes = {ask};
  r->flows["classify"] = classify;
  return r;
}

struct FleetExecutor {
  aof::testing::ScriptedHttpServer llm;
  // The real clock: the flow runner measures its deadline on the system clock.
  Clock& clock = SystemClock::instance();
  std::vector<ChatMessage> sent;

  Executor make() {
    config::RuntimeConfig runtime;
    runtime.llm_base_urls["openai"] = llm.base_url() + "/v1";
    ExecutorDeps deps;
    deps.http = std::make_shared<const sidecar::HttplibClient>();
    deps.env = aof::testing::fake_env({{"OPENAI_API_KEY", "sk-test"}});
    deps.send_message = [this](const ChatMessage& m) {
      sent.push_back(m);
      return Result<json>(json{{"channel", "C0INC"}, {"ts", "1.2"}});
    };
    return Executor(resources(), runtime, clock, deps);
  }

  Result<json> run(event::TargetKind kind, const std::string& name, const std::string& text) {
    event::Envelope e;
    e.id = "01JFLEET000000000000000001";
    e.platform = "slack";
    e.target = {kind, name};
    e.text = text;
    bool permanent = false;
    return make().execute(e, ExecutionContext{"w1", nullptr}, &permanent);
  }

  std::string user_message(std::size_t n) const {
    const json body = json::parse(llm.requests().at(n).body);
    return body["messages"].back()["content"];
  }
};

}  // namespace

TEST_CASE("a hierarchical Fleet target: plan, the delegated worker, the manager's synthesis") {
  FleetExecutor f;
  f.llm.reply_json(answer(R"({"assignments": [{"agent": "logs", "task": "Read the 5xx logs"}]})"));
  f.llm.reply_json(answer("500s from payments since 14:03"));
  f.llm.reply_json(answer("Payments broke checkout at 14:03."));
  auto result = f.run(event::TargetKind::kAgentFleet, "incident-team", "Why is checkout down?");
  REQUIRE_MESSAGE(result.ok(), result.error().message());
  CHECK((*result)["output"] == "Payments broke checkout at 14:03.");
  CHECK((*result)["results"][0]["output"] == "500s from payments since 14:03");
  REQUIRE(f.llm.requests().size() == 3);
  CHECK(f.user_message(1) == "Read the 5xx logs");
  const json worker = json::parse(f.llm.requests()[1].body);
  CHECK(worker["messages"][0]["content"] == "You are the logs.");
}

TEST_CASE("a flow's Fleet node runs the fleet; its Slack node posts the answer") {
  FleetExecutor f;
  f.llm.reply_json(answer("not a plan"));  // falls back: every worker gets the task
  f.llm.reply_json(answer("logs look clean"));
  f.llm.reply_json(answer("No incident: a false alarm."));
  auto result = f.run(event::TargetKind::kAgentFlow, "incident-brief", "is checkout down?");
  REQUIRE_MESSAGE(result.ok(), result.error().message());
  const json investigate = (*result)["node_results"]["investigate"];
  CHECK(investigate["output"] == "No incident: a false alarm.");
  CHECK(investigate["plan"]["fallback"] == true);
  CHECK(investigate["fleet"] == "incident-team");
  CHECK(f.user_message(1) == "is checkout down?");
  REQUIRE(f.sent.size() == 1);
  CHECK(f.sent[0].platform == "slack");
  CHECK(f.sent[0].channel == "#incidents");
  CHECK(f.sent[0].text == "No incident: a false alarm.");
  CHECK((*result)["output"]["ts"] == "1.2");
}

TEST_CASE("a flow's inline agent runs through the executor's agent runtime") {
  FleetExecutor f;
  f.llm.reply_json(answer("P2"));
  auto result = f.run(event::TargetKind::kAgentFlow, "classify", "disk 91% full");
  REQUIRE_MESSAGE(result.ok(), result.error().message());
  CHECK((*result)["output"]["agent"] == "sev");
  CHECK((*result)["output"]["output"] == "P2");
  const json body = json::parse(f.llm.requests().at(0).body);
  CHECK(body["messages"][0]["content"] == "Answer P1 to P4.");
  CHECK(body["messages"][1]["content"] == "Severity of: disk 91% full");
}

}  // namespace aof::runtime
