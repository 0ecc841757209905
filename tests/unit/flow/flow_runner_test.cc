// The graph walk and the non-Script nodes, through run_flow.
#include "common/runtime/flow/flow_runner.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/temp_dir.h"
#include "tests/unit/flow/flow_test_util.h"

namespace aof::runtime {
namespace {

using config::NodeType;
using Json = nlohmann::json;
using testing::edge;
using testing::flow_of;
using testing::logged;
using testing::read;
using testing::node;
using testing::output_of;
using testing::run;
using testing::script;

config::FlowNode conditional(const std::string& id, const std::string& condition) {
  auto n = node(id, NodeType::kConditional);
  n.config.condition = condition;
  return n;
}

config::FlowNode transform(const std::string& id, const std::string& text) {
  auto n = node(id, NodeType::kTransform);
  n.config.script = text;
  return n;
}

config::FlowNode wait(const std::string& id, const std::string& duration) {
  auto n = node(id, NodeType::kWait);
  n.config.duration = duration;
  return n;
}



Json ids(const Result<Json>& result) {
  Json names = Json::array();
  for (const auto& [id, output] : result->at("node_results").items()) names.push_back(id);
  return names;
}

TEST_CASE("the result has AOF's final-state shape, deterministic") {
  FlowRunOptions options;
  options.run_id = "evt-9";
  auto result = run(
      flow_of({script("a", "echo 1"), script("b", "echo 2")}, {edge("start", "a"), edge("a", "b")}),
      Json::object(), options);
  REQUIRE(result.ok());
  CHECK(result->at("run_id") == "evt-9");
  CHECK(result->at("flow_name") == "test-flow");
  CHECK(result->at("status") == "completed");
  CHECK(result->at("skipped") == Json::array());
  CHECK(result->at("variables") == Json::object());
  CHECK(ids(result) == Json{"a", "b"});
  CHECK(result->at("output") == output_of(result, "b"));
  CHECK(output_of(result, "b")["output"] == "2");
}

std::string sorted_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

TEST_CASE("start fans out; without start connections only the first node runs") {
  const aof::testing::TempDir dir;
  const auto log = dir.path() / "log";
  auto fan = run(flow_of({logged("a", log), logged("b", log), logged("c", log)},
                         {edge("start", "b"), edge("start", "a")}));
  REQUIRE(fan.ok());
  CHECK(sorted_lines(read(log)) == "a\nb\n");  // entry nodes run at once
  CHECK(fan->at("node_results").count("c") == 0);
  std::filesystem::remove(log);
  auto first = run(flow_of({logged("a", log), logged("b", log)}, {edge("b", "a")}));
  REQUIRE(first.ok());
  CHECK(read(log) == "a\n");
}

TEST_CASE("a node output feeds a later node's template") {
  auto clip = script("clip", "echo '{\"version\":\"1.2\"}'");
  clip.config.script_config->parse = "json";
  auto result = run(flow_of({clip, script("use", "echo v${clip.output.version}")},
                            {edge("start", "clip"), edge("clip", "use")}));
  REQUIRE(result.ok());
  CHECK(output_of(result, "use")["output"] == "v1.2");
}


TEST_CASE("the branches of a wave run at once: each waits for the other's marker") {
  const aof::testing::TempDir dir;
  const std::string a = (dir.path() / "a").string(), b = (dir.path() / "b").string();
  // Run one after the other, the first would wait for a marker that never comes and time out.
  const auto waits_for = [](const std::string& mine, const std::string& theirs) {
    return "touch '" + mine + "'; i=0; while [ ! -f '" + theirs +
           "' ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done; test -f '" + theirs + "'";
  };
  auto left = script("left", waits_for(a, b));
  auto right = script("right", waits_for(b, a));
  auto join = node("join", NodeType::kJoin);
  auto result = run(flow_of({node("fork", NodeType::kParallel), left, right, join},
                            {edge("start", "fork"), edge("fork", "left"), edge("fork", "right"),
                             edge("left", "join"), edge("right", "join")}));
  REQUIRE(result.ok());
  CHECK(output_of(result, "join") == Json{{"joined", 3}, {"strategy", "all"}});
}

TEST_CASE("a Join waits for all its branches (or any, or a majority) and runs once") {
  const aof::testing::TempDir dir;
  const auto log = dir.path() / "log";
  // Branch a is two nodes long, branch b one: the join must not run after b's wave alone.
  const auto flow_with = [&](const std::string& strategy) {
    auto join = logged("join", log);
    join.type = NodeType::kJoin;
    join.config.strategy = strategy;
    auto tail = logged("tail", log);
    return flow_of({logged("a1", log), logged("a2", log), logged("b", log), join, tail},
                   {edge("start", "a1"), edge("start", "b"), edge("a1", "a2"),
                    edge("a2", "join"), edge("b", "join"), edge("join", "tail")});
  };
  auto all = run(flow_with(""));
  REQUIRE(all.ok());
  CHECK(output_of(all, "join")["joined"] == 3);  // a1, b, a2 finished before it
  CHECK(all->at("node_results").size() == 5);
  std::filesystem::remove(log);
  auto any = run(flow_with("any"));
  REQUIRE(any.ok());
  CHECK(output_of(any, "join")["joined"] == 2);  // b's arrival was enough
  CHECK(output_of(any, "join")["strategy"] == "any");
}

TEST_CASE("connections follow `when`") {
  const aof::testing::TempDir dir;
  const auto log = dir.path() / "log";
  auto result =
      run(flow_of({conditional("check", "${event.n} > 40"), logged("yes", log), logged("no", log),
                   logged("always", log)},
                  {edge("start", "check"), edge("check", "yes", "${check.result} == true"),
                   edge("check", "no", "${check.result} == false"), edge("check", "always")}),
          Json{{"n", 42}});
  REQUIRE(result.ok());
  CHECK(sorted_lines(read(log)) == "always\nyes\n");  // one wave: they ran at once
  CHECK(output_of(result, "check") == Json{{"condition_result", true}});
}

TEST_CASE("node conditions skip a node and its successors; unknown sources are satisfied") {
  const aof::testing::TempDir dir;
  const auto log = dir.path() / "log";
  auto gated = logged("gated", log);

  gated.conditions.push_back({"check", Json(true), std::nullopt});
  auto free = logged("free", log);
  free.conditions.push_back({"never_ran", Json(true), std::nullopt});
  auto text_value = logged("text_value", log);
  text_value.conditions.push_back({"check", Json("false"), std::nullopt});
  auto result =
      run(flow_of({conditional("check", "1 == 2"), gated, logged("after", log), free, text_value},
                  {edge("start", "check"), edge("check", "gated"), edge("gated", "after"),
                   edge("check", "free"), edge("check", "text_value")}));
  REQUIRE(result.ok());
  CHECK(sorted_lines(read(log)) == "free\ntext_value\n");
  CHECK(result->at("skipped") == Json{"gated"});
}

TEST_CASE("a node reached several times runs once") {
  const aof::testing::TempDir dir;
  const auto log = dir.path() / "log";
  // Diamond (same wave twice) and a later wave reaching `c` again.
  auto result =
      run(flow_of({logged("a", log), logged("b", log), logged("c", log), logged("d", log)},
                  {edge("start", "a"), edge("start", "b"), edge("a", "c"), edge("b", "c"),
                   edge("b", "d"), edge("d", "c")}));
  REQUIRE(result.ok());
  CHECK(sorted_lines(read(log)) == "a\nb\nc\nd\n");  // each exactly once
  CHECK(result->at("node_results").size() == 4);
}

TEST_CASE("a cycle (rejected by the loader) still terminates") {
  const aof::testing::TempDir dir;
  const auto log = dir.path() / "log";
  auto result = run(flow_of({logged("a", log), logged("b", log)},
                            {edge("start", "a"), edge("a", "b"), edge("b", "a")}));
  REQUIRE(result.ok());
  CHECK(read(log) == "a\nb\n");
}

TEST_CASE("the first error stops the run and names the node") {
  const aof::testing::TempDir dir;
  const auto log = dir.path() / "log";
  auto result = run(flow_of(
      {script("build", "echo compile error >&2; exit 2"), logged("b", log), logged("next", log)},
      {edge("start", "build"), edge("start", "b"), edge("build", "next")}));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message() == "node \"build\" (Script) failed: exit code 2: compile error");
  CHECK(read(log) == "b\n");  // its sibling ran beside it; nothing after it did
}

TEST_CASE("End ends the run") {
  const aof::testing::TempDir dir;
  const auto log = dir.path() / "log";
  auto result =
      run(flow_of({node("end", NodeType::kEnd), logged("after", log), logged("sibling", log)},
                  {edge("start", "end"), edge("start", "sibling"), edge("end", "after")}));
  REQUIRE(result.ok());
  CHECK(read(log) == "sibling\n");  // End's wave finishes; nothing after it runs
  CHECK(result->at("node_results").count("after") == 0);
}

TEST_CASE("the flow's output is the last node before End, not End's empty marker") {
  auto result = run(flow_of({script("say", "printf hello"), node("end", NodeType::kEnd)},
                            {edge("start", "say"), edge("say", "end")}));
  REQUIRE(result.ok());
  CHECK(result->at("output")["output"] == "hello");
  CHECK(result->at("node_results").contains("end"));
}

TEST_CASE("nodes this build cannot run fail permanently, naming node and issue") {
  auto agent = node("summarize", NodeType::kAgent);
  agent.config.agent = "pr-helper";
  auto result = run(flow_of({agent}));  // no agent runtime in the options
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == ErrorCode::kInvalidArgument);
  CHECK(result.error().message() ==
        "node \"summarize\" (Agent) failed: this executor runs no agents");
  auto waiting = node("n", NodeType::kDiscord);
  waiting.config.wait_for_reaction = true;
  auto discord = run(flow_of({waiting}));
  REQUIRE_FALSE(discord.ok());
  CHECK(discord.error().code() == ErrorCode::kInvalidArgument);
  CHECK(discord.error().message().find("use an Approval node") != std::string::npos);
}

TEST_CASE("Wait sleeps its duration; bad durations and waits past the deadline fail") {
  auto waited = run(flow_of({wait("w", "10ms")}));
  REQUIRE(waited.ok());
  CHECK(output_of(waited, "w") == Json{{"waited", "10ms"}});
  CHECK(output_of(run(flow_of({node("d", NodeType::kWait)})), "d") == Json{{"waited", "1s"}});
  auto bad = run(flow_of({wait("w", "10 parsecs")}));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code() == ErrorCode::kInvalidArgument);
  FlowRunOptions options;
  options.deadline = std::chrono::system_clock::now() + std::chrono::seconds(5);
  auto too_long = run(flow_of({wait("w", "1h")}), Json::object(), options);
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.error().code() == ErrorCode::kTimeout);
}

TEST_CASE("a node's timeoutSeconds bounds its Wait") {
  auto w = wait("w", "10s");
  w.config.timeout_seconds = 1;
  auto result = run(flow_of({w}));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == ErrorCode::kTimeout);
}

TEST_CASE("cancellation and the deadline are checked before each node") {
  std::atomic<bool> cancelled = true;
  FlowRunOptions cancelling;
  cancelling.cancelled = &cancelled;
  auto stopped = run(flow_of({script("a", "true")}), Json::object(), cancelling);
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.error().message() == "cancelled before node \"a\"");
  FlowRunOptions expired;
  expired.deadline = std::chrono::system_clock::now();
  auto late = run(flow_of({script("a", "true")}), Json::object(), expired);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code() == ErrorCode::kTimeout);
}

TEST_CASE("Transform exports variables; values stay whole even with newlines") {
  auto result = run(flow_of({transform("t",
                                       "# setup\nexport TAG=\"v${event.n}\"\n"
                                       "  export  NAME = 'x y' \nexport BODY=${event.text}\n"
                                       "not an export\nexport NOVALUE"),
                             script("use", "printf '%s/%s' \"${TAG}\" \"${NAME}\"")},
                            {edge("start", "t"), edge("t", "use")}),
                    Json{{"n", 7}, {"text", "line1\nexport EVIL=1"}});
  REQUIRE(result.ok());
  CHECK(result->at("variables") ==
        Json{{"TAG", "v7"}, {"NAME", "x y"}, {"BODY", "line1\nexport EVIL=1"}});
  CHECK(output_of(result, "t") == Json{{"script_executed", true}});
  CHECK(output_of(result, "use")["output"] == "v7/x y");
}

TEST_CASE("Parallel and Join are markers") {
  auto parallel = node("p", NodeType::kParallel);
  parallel.config.branches = {"a", "b"};
  auto join = node("j", NodeType::kJoin);
  auto result = run(flow_of({parallel, script("a", "true"), join},
                            {edge("start", "p"), edge("p", "a"), edge("a", "j")}));
  REQUIRE(result.ok());
  CHECK(output_of(result, "p") == Json{{"branches", {"a", "b"}}});
  CHECK(output_of(result, "j") == Json{{"joined", 2}, {"strategy", "all"}});
}

TEST_CASE("a Script reads the PR number from the event metadata") {
  auto result = run(flow_of({script("clip", "echo PR ${event.metadata.pr_number}")}),
                    Json{{"platform", "github"},
                         {"event", {{"text", "opened"}, {"metadata", {{"pr_number", 1234}}}}}});
  REQUIRE(result.ok());
  CHECK(output_of(result, "clip")["output"] == "PR 1234");
}

TEST_CASE("unparseable conditions are false, not errors") {
  const aof::testing::TempDir dir;
  const auto log = dir.path() / "log";
  auto result = run(flow_of({conditional("c", "requires_approval == true ))"), logged("x", log)},
                            {edge("start", "c"), edge("c", "x", "((")}));
  REQUIRE(result.ok());
  CHECK(output_of(result, "c") == Json{{"condition_result", false}});
  CHECK_FALSE(std::filesystem::exists(log));
}

}  // namespace
}  // namespace aof::runtime
