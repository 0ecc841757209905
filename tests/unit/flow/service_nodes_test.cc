// Agent, Fleet, HTTP, Slack and Discord flow nodes (issue 8 item 2, reference §6.3): the
// agent and fleet runtimes, a real HTTP client and the chat clients reached through
// FlowRunOptions, outputs in AOF's shape, templates expanded.
#include <doctest/doctest.h>

#include "common/runtime/flow/flow_runner.h"
#include "sidecar/httplib_client.h"
#include "tests/support/scripted_http_server.h"
#include "tests/unit/flow/flow_test_util.h"

namespace aof::runtime {
namespace {

using config::NodeType;
using Json = nlohmann::json;
using testing::edge;
using testing::flow_of;
using testing::node;
using testing::output_of;
using testing::run;
using testing::script;

config::FlowNode agent_node(const std::string& id, const std::string& agent,
                            const std::string& input) {
  auto n = node(id, NodeType::kAgent);
  n.config.agent = agent;
  n.config.input = input;
  return n;
}

}  // namespace

TEST_CASE("an Agent node runs its agent on the expanded input; the next node reads its output") {
  std::vector<std::pair<std::string, std::string>> calls;
  FlowRunOptions options;
  options.run_agent = [&](const std::string& agent, const std::string& input, TimePoint) {
    calls.emplace_back(agent, input);
    return Result<Json>(Json{{"output", "LGTM: " + input},
                             {"iterations", 2},
                             {"usage", {{"input_tokens", 120}, {"output_tokens", 8}}}});
  };
  auto result = run(flow_of({script("clip", "printf 'PR 42'"),
                             agent_node("review", "pr-helper", "Review ${clip.output.output}"),
                             script("echo", "printf '%s' '${review.output}'")},
                            {edge("start", "clip"), edge("clip", "review"), edge("review", "echo")}),
                    Json::object(), options);
  REQUIRE(result.ok());
  REQUIRE(calls.size() == 1);
  CHECK(calls[0] == std::make_pair(std::string("pr-helper"), std::string("Review PR 42")));
  const Json review = output_of(result, "review");
  CHECK(review == Json{{"agent", "pr-helper"},
                       {"input", "Review PR 42"},
                       {"output", "LGTM: Review PR 42"},
                       {"input_tokens", 120},
                       {"output_tokens", 8},
                       {"iterations", 2},
                       {"requires_approval", false}});
  // AOF's chaining: ${review.output} is the whole JSON object.
  CHECK(Json::parse(output_of(result, "echo")["output"].get<std::string>())["output"] ==
        "LGTM: Review PR 42");
}

TEST_CASE("an Agent node's failure fails the flow with its code") {
  FlowRunOptions options;
  options.run_agent = [](const std::string&, const std::string&, TimePoint) {
    return Result<Json>(Error(ErrorCode::kUnavailable, "agent \"x\": 429 after 3 attempts"));
  };
  auto failed = run(flow_of({agent_node("a", "x", "hi")}), Json::object(), options);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code() == ErrorCode::kUnavailable);  // retryable: the event is rescheduled
  CHECK(failed.error().message() == "node \"a\" (Agent) failed: agent \"x\": 429 after 3 attempts");
}

TEST_CASE("an Agent node runs its inline agent, else its named one, else agentConfig's") {
  std::vector<std::string> ran;
  FlowRunOptions options;
  options.run_agent = [&](const std::string& agent, const std::string&, TimePoint) {
    ran.push_back("named " + agent);
    return Result<Json>(Json{{"output", "from " + agent}});
  };
  options.run_agent_definition = [&](const config::Agent& agent, const std::string& input,
                                     TimePoint) {
    ran.push_back("defined " + agent.name + " (" + agent.model + ")");
    return Result<Json>(Json{{"output", agent.instructions + ": " + input}});
  };
  config::Agent inline_agent;
  inline_agent.name = "triage";
  inline_agent.model = "openai:gpt-4o";
  inline_agent.instructions = "Classify";
  auto with_inline = agent_node("a", "pr-helper", "disk full");
  with_inline.config.inline_agent = inline_agent;  // inline wins over the name
  auto named = agent_node("b", "pr-helper", "x");
  named.config.legacy_agent = inline_agent;  // a name the loader kept wins over agentConfig
  auto legacy = agent_node("c", "", "y");
  legacy.config.legacy_agent = inline_agent;
  legacy.config.legacy_agent->name = "old";
  auto result = run(flow_of({with_inline, named, legacy}, {edge("start", "a"), edge("a", "b"),
                                                           edge("b", "c")}),
                    Json::object(), options);
  REQUIRE(result.ok());
  CHECK(ran == std::vector<std::string>{"defined triage (openai:gpt-4o)", "named pr-helper",
                                        "defined old (openai:gpt-4o)"});
  CHECK(output_of(result, "a")["agent"] == "triage");
  CHECK(output_of(result, "a")["output"] == "Classify: disk full");
  CHECK(output_of(result, "c")["agent"] == "old");
  options.run_agent_definition = nullptr;
  CHECK(run(flow_of({with_inline}), Json::object(), options).error().message() ==
        "node \"a\" (Agent) failed: this executor runs no flow-defined agents");
}

TEST_CASE("a Fleet node runs its fleet on the expanded input; output is the answer text") {
  std::vector<std::pair<std::string, std::string>> calls;
  FlowRunOptions options;
  options.run_fleet = [&](const std::string& fleet, const std::string& input, TimePoint) {
    calls.emplace_back(fleet, input);
    if (fleet == "merge-team") {  // a result without an "output" string
      return Result<Json>(Json{{"mode", "peer"}, {"response", "merged"}});
    }
    return Result<Json>(Json{{"mode", "hierarchical"}, {"output", "Root cause: payments"},
                             {"plan", {{"fallback", false}}}});
  };
  auto team = node("rca", NodeType::kFleet);
  team.config.fleet = "incident-team";
  team.config.input = "Investigate: ${event.text}";
  auto other = node("other", NodeType::kFleet);
  other.config.fleet = "merge-team";
  auto result = run(flow_of({team, other, script("show", "printf '%s' '${rca.output.output}'")},
                            {edge("start", "rca"), edge("rca", "other"), edge("other", "show")}),
                    Json{{"event", {{"text", "checkout 500s"}}}}, options);
  REQUIRE(result.ok());
  CHECK(calls == std::vector<std::pair<std::string, std::string>>{
                     {"incident-team", "Investigate: checkout 500s"}, {"merge-team", ""}});
  CHECK(output_of(result, "rca") == Json{{"mode", "hierarchical"},
                                         {"output", "Root cause: payments"},
                                         {"plan", {{"fallback", false}}},
                                         {"fleet", "incident-team"},
                                         {"input", "Investigate: checkout 500s"}});
  CHECK(output_of(result, "other")["output"] == "merged");
  CHECK(output_of(result, "show")["output"] == "Root cause: payments");

  options.run_fleet = [](const std::string&, const std::string&, TimePoint) {
    return Result<Json>(Error(ErrorCode::kTimeout, "fleet \"incident-team\": member x timed out"));
  };
  auto failed = run(flow_of({team}), Json::object(), options);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code() == ErrorCode::kTimeout);
  CHECK(run(flow_of({team})).error().message() ==
        "node \"rca\" (Fleet) failed: this executor runs no fleets");
}

TEST_CASE("Slack and Discord nodes send their expanded message; waitForReaction waits") {
  std::vector<ChatMessage> sent;
  FlowRunOptions options;
  options.send_message = [&](const ChatMessage& message) {
    sent.push_back(message);
    return Result<Json>(Json{{"channel", message.platform == "slack" ? "C0OPS" : ""},
                             {"ts", "1700000000.000100"}});
  };
  auto slack = node("tell", NodeType::kSlack);
  slack.config.channel = "#${event.team}";
  slack.config.message = "Deploy of ${event.service} done";
  slack.config.thread_ts = "${event.ts}";
  slack.config.blocks = Json::parse(R"([{"type": "section"}])");
  auto discord = node("echo", NodeType::kDiscord);
  discord.config.channel = "123456789";
  discord.config.message = "Also: ${tell.output.ts}";
  const Json trigger = {{"event", {{"team", "ops"}, {"service", "payments"}, {"ts", "1.5"}}}};
  auto result = run(flow_of({slack, discord}, {edge("start", "tell"), edge("tell", "echo")}),
                    trigger, options);
  REQUIRE_MESSAGE(result.ok(), result.error().message());
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].platform == "slack");
  CHECK(sent[0].channel == "#ops");
  CHECK(sent[0].text == "Deploy of payments done");
  CHECK(sent[0].thread == "1.5");
  CHECK(sent[0].blocks == Json::parse(R"([{"type": "section"}])"));
  CHECK(output_of(result, "tell") == Json{{"platform", "slack"},
                                          {"channel", "C0OPS"},
                                          {"message", "Deploy of payments done"},
                                          {"ts", "1700000000.000100"},
                                          {"sent", true},
                                          {"thread", "1.5"}});
  CHECK(sent[1].platform == "discord");
  CHECK(sent[1].text == "Also: 1700000000.000100");
  CHECK(output_of(result, "echo")["channel"] == "123456789");  // as written when not answered

  // waitForReaction: the message is an approval request in the node's channel; the run waits.
  slack.config.wait_for_reaction = true;
  std::vector<ApprovalRequest> asked;
  options.approval = [&](const ApprovalRequest& request) -> Result<Json> {
    asked.push_back(request);
    return Json{{"status", "waiting_approval"}, {"node_id", request.node_id}};
  };
  auto waiting = run(flow_of({slack}), trigger, options);
  REQUIRE(waiting.ok());
  CHECK(waiting->at("status") == "waiting_approval");
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].channel == "#ops");
  CHECK(asked[0].message == "Deploy of payments done");
  CHECK(sent.size() == 2);  // posted by the approval service, not as a plain message
  auto empty = node("e", NodeType::kSlack);
  empty.config.message = "hi";
  CHECK(run(flow_of({empty}), trigger, options).error().message() ==
        "node \"e\" (Slack) failed: config.channel is empty");
}

TEST_CASE("an HTTP node sends a real request and later nodes read the JSON response") {
  aof::testing::ScriptedHttpServer api;
  api.reply_json(R"({"deploy":{"id":7,"state":"queued"}})", 201);
  const sidecar::HttplibClient http;
  FlowRunOptions options;
  options.http = &http;
  auto call = node("deploy", NodeType::kHttp);
  call.config.url = api.base_url() + "/deploys?pr=${event.metadata.pr_number}";
  call.config.method = "post";
  call.config.headers = {{"Authorization", "Bearer ${DEPLOY_TOKEN_UNSET_IN_TESTS}"},
                         {"X-Run", "flow"}};
  call.config.body = {{"ref", "${event.metadata.ref}"}};
  // A ref with quotes: inserted into a structured body, it must stay JSON.
  const Json trigger = {{"event", {{"metadata", {{"pr_number", 42}, {"ref", "fix \"q\""}}}}}};
  auto result = run(flow_of({call, script("show", "printf '%s' '${deploy.output.body.deploy.state}'")},
                            {edge("start", "deploy"), edge("deploy", "show")}),
                    trigger, options);
  REQUIRE(result.ok());
  const auto requests = api.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].target == "/deploys?pr=42");
  CHECK(requests[0].headers.at("x-run") == "flow");
  CHECK(requests[0].headers.at("content-type") == "application/json");
  CHECK(Json::parse(requests[0].body) == Json{{"ref", "fix \"q\""}});
  const Json out = output_of(result, "deploy");
  CHECK(out["status"] == 201);
  CHECK(out["body"]["deploy"]["id"] == 7);
  CHECK(output_of(result, "show")["output"] == "queued");
}

TEST_CASE("an HTTP node: bad method or URL is permanent, an unreachable host retryable") {
  const sidecar::HttplibClient http;
  FlowRunOptions options;
  options.http = &http;
  auto bad = node("n", NodeType::kHttp);
  bad.config.url = "ftp://example.com";
  CHECK(run(flow_of({bad}), Json::object(), options).error().code() == ErrorCode::kInvalidArgument);
  bad.config.url = "http://127.0.0.1:1/x";
  bad.config.method = "TRACE";
  CHECK(run(flow_of({bad}), Json::object(), options).error().code() == ErrorCode::kInvalidArgument);
  bad.config.method = "GET";
  auto unreachable = run(flow_of({bad}), Json::object(), options);
  REQUIRE_FALSE(unreachable.ok());
  CHECK(is_retryable(unreachable.error().code()));
  CHECK(unreachable.error().message().find("GET http://127.0.0.1:1/x") != std::string::npos);
  CHECK(run(flow_of({node("m", NodeType::kHttp)})).error().message() ==
        "node \"m\" (HTTP) failed: this executor has no HTTP client");
}

}  // namespace aof::runtime
