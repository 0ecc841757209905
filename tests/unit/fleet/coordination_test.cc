// The coordinated fleet modes (issue 8 item 1): hierarchical (the manager's plan used, an
// unusable plan falling back), deep (plan, execute, one re-plan, synthesize), peer with
// manager_synthesis, and the members' budget (timeout_ms) with allow_partial, all with
// scripted answers.
#include <doctest/doctest.h>

#include "common/runtime/fleet/fleet_runner.h"
#include "tests/unit/fleet/scripted_agents.h"

namespace aof::runtime::fleet {
namespace {

using testing::contains;
using testing::fleet_of;
using testing::fleet_with_roles;
using testing::Json;
using testing::ScriptedAgents;

const char* kPlan = R"(Here is my plan.
```json
{"assignments": [
  {"agent": "writer", "task": "Draft the status update"},
  {"agent": "ghost", "task": "Haunt the servers"},
  {"agent": "lead", "task": "Supervise"},
  {"agent": "researcher", "task": "Find the failing service"}
]}
```
Let me know.)";

config::AgentFleet ops_team() {
  return fleet_with_roles(
      {{"researcher", "worker"}, {"lead", "manager"}, {"writer", "specialist"}, {"idle", "worker"}},
      {{"mode", "hierarchical"}});
}

}  // namespace

TEST_CASE("hierarchical: the manager's plan is used, the workers run, the manager synthesizes") {
  ScriptedAgents agents;
  agents.scripts["lead"] = {kPlan, "Checkout is down because payments fails; update drafted."};
  agents.answers = {{"researcher", "payments returns 500"}, {"writer", "We are investigating."}};
  auto result = run_fleet(ops_team(), "Why is checkout down?", agents.deps());
  REQUIRE_MESSAGE(result.ok(), result.error().message());

  CHECK((*result)["mode"] == "hierarchical");
  CHECK((*result)["manager"] == "lead");
  // Assignments in the workers' file order, whatever order the plan listed them in.
  CHECK((*result)["plan"]["assignments"] ==
        Json::parse(R"([{"agent": "researcher", "task": "Find the failing service"},
                        {"agent": "writer", "task": "Draft the status update"}])"));
  CHECK((*result)["plan"]["fallback"] == false);
  CHECK((*result)["plan"]["notes"] ==
        Json{"assignment 2 ignored: \"ghost\" is not one of the workers",
             "assignment 3 ignored: \"lead\" is not one of the workers"});
  CHECK((*result)["results"] ==
        Json::parse(R"([{"agent": "researcher", "task": "Find the failing service",
                         "output": "payments returns 500", "input_tokens": 3, "output_tokens": 1},
                        {"agent": "writer", "task": "Draft the status update",
                         "output": "We are investigating.", "input_tokens": 3,
                         "output_tokens": 1}])"));
  CHECK((*result)["output"] == "Checkout is down because payments fails; update drafted.");
  // Each worker got its subtask; the idle worker was not asked.
  CHECK(agents.inputs_of("researcher") == std::vector<std::string>{"Find the failing service"});
  CHECK(agents.inputs_of("writer") == std::vector<std::string>{"Draft the status update"});
  CHECK(agents.inputs_of("idle").empty());
  // The manager was shown the workers (not itself) and the task, then their results.
  const auto asked = agents.inputs_of("lead");
  REQUIRE(asked.size() == 2);
  CHECK(contains(asked[0], "- researcher (worker): You are researcher.\n"));
  CHECK(contains(asked[0], "- writer (specialist): You are writer.\n"));
  CHECK_FALSE(contains(asked[0], "- lead"));
  CHECK(contains(asked[0], "Task:\nWhy is checkout down?"));
  CHECK(contains(asked[1], "\"output\": \"payments returns 500\""));
  CHECK(contains(asked[1], "Task:\nWhy is checkout down?"));
}

TEST_CASE("hierarchical: an unusable plan gives every worker the original task, and says so") {
  ScriptedAgents agents;
  agents.scripts["lead"] = {"I would rather handle this myself.", "All fine."};
  agents.answers = {{"researcher", "r"}, {"writer", "w"}, {"idle", "i"}};
  auto result = run_fleet(ops_team(), "Why is checkout down?", agents.deps());
  REQUIRE(result.ok());
  CHECK((*result)["plan"]["fallback"] == true);
  CHECK((*result)["plan"]["notes"] ==
        Json{"no usable delegation plan (the manager's answer holds no JSON): every worker got "
             "the original task"});
  CHECK((*result)["results"].size() == 3);
  CHECK((*result)["results"][2]["agent"] == "idle");
  for (const char* worker : {"researcher", "writer", "idle"}) {
    CHECK(agents.inputs_of(worker) == std::vector<std::string>{"Why is checkout down?"});
  }
  CHECK((*result)["output"] == "All fine.");
}

TEST_CASE("hierarchical: allow_partial decides whether a failed worker fails the fleet") {
  ScriptedAgents agents;
  agents.scripts["lead"] = {R"({"assignments": {"researcher": "look", "writer": "write"}})",
                            "Partial answer."};
  agents.answers = {{"researcher", "found it"}};  // the writer fails (503)
  auto partial = run_fleet(ops_team(), "task", agents.deps());
  REQUIRE(partial.ok());
  CHECK((*partial)["results"][1] ==
        Json{{"agent", "writer"}, {"task", "write"}, {"error", "writer: 503"}});
  CHECK((*partial)["output"] == "Partial answer.");

  auto strict_fleet = ops_team();
  strict_fleet.coordination["consensus"] = {{"allow_partial", false}};
  ScriptedAgents again;
  again.scripts = agents.scripts;
  again.answers = agents.answers;
  auto strict = run_fleet(strict_fleet, "task", again.deps());
  REQUIRE_FALSE(strict.ok());
  CHECK(strict.error().code() == ErrorCode::kUnavailable);
  CHECK(strict.error().message() ==
        "fleet \"f\": allow_partial is false and member writer failed: writer: 503");
  CHECK(again.inputs_of("lead").size() == 1);  // no synthesis
}

TEST_CASE("deep: plan, steps in order with the results before them, one re-plan, synthesis") {
  ScriptedAgents agents;
  agents.scripts["lead"] = {
      R"({"steps": [{"task": "collect the error logs", "agent": "logs"}, "find the cause"]})",
      R"(More is needed: {"done": false, "steps": [{"task": "check the last deploy"}]})",
      "Cause: the 14:02 deploy of payments."};
  agents.answers = {{"logs", "500s since 14:03"}, {"deploys", "payments deployed at 14:02"}};
  auto fleet = fleet_with_roles({{"lead", "manager"}, {"logs", "worker"}, {"deploys", "worker"}},
                                {{"mode", "deep"}, {"deep", {{"planner_prompt", "Be careful."}}}});
  auto result = run_fleet(fleet, "Why is checkout failing?", agents.deps());
  REQUIRE_MESSAGE(result.ok(), result.error().message());

  CHECK((*result)["mode"] == "deep");
  CHECK((*result)["planner"] == "lead");
  CHECK((*result)["iterations"] == 3);
  CHECK((*result)["replanned"] == true);
  CHECK((*result)["output"] == "Cause: the 14:02 deploy of payments.");
  // Step k without an agent goes to executor k mod 2: step 2 → deploys, step 3 → logs.
  std::vector<std::string> who;
  for (const auto& step : (*result)["steps"]) who.push_back(step["agent"]);
  CHECK(who == std::vector<std::string>{"logs", "deploys", "logs"});
  CHECK((*result)["steps"][2]["round"] == 2);
  CHECK((*result)["steps"][2]["task"] == "check the last deploy");
  CHECK((*result)["rounds"].size() == 2);

  const auto logs = agents.inputs_of("logs");
  REQUIRE(logs.size() == 2);
  CHECK(logs[0] == "Goal:\nWhy is checkout failing?\n\nYour step (1 of 2): collect the error logs");
  const auto deploys = agents.inputs_of("deploys");
  REQUIRE(deploys.size() == 1);
  CHECK(contains(deploys[0], "Your step (2 of 2): find the cause"));
  CHECK(contains(deploys[0], "\"output\": \"500s since 14:03\""));  // memory: what came before
  const auto planner = agents.inputs_of("lead");
  REQUIRE(planner.size() == 3);
  CHECK(planner[0].starts_with("Be careful.\n\nPlan how to reach the goal below in at most 10"));
  CHECK(contains(planner[1], "\"output\": \"payments deployed at 14:02\""));
  CHECK(contains(planner[2], "Write the final answer to the goal below"));
}

TEST_CASE("deep: parallel steps, max_iterations bounds the steps, a done review ends it") {
  ScriptedAgents agents;
  agents.scripts["solo"] = {
      R"([{"task": "a"}, {"task": "b"}, {"task": "c"}])",  // no "parallel": in order
      "Answer."};
  auto fleet = fleet_of({{"solo", 1}}, {{"mode", "deep"}, {"deep", {{"max_iterations", 2}}}});
  auto result = run_fleet(fleet, "goal", agents.deps());
  REQUIRE(result.ok());
  // One member: it plans and executes; only 2 steps run, and no review is asked (none left).
  CHECK((*result)["iterations"] == 2);
  CHECK((*result)["replanned"] == false);
  CHECK((*result)["rounds"][0]["notes"] == Json{"1 step(s) dropped: max_iterations allows 2 more"});
  CHECK(agents.inputs_of("solo").size() == 4);  // plan, 2 steps, synthesis

  ScriptedAgents parallel;
  parallel.scripts["lead"] = {R"({"steps": ["x", "y"], "parallel": true})", R"({"done": true})",
                              "Done."};
  parallel.answers = {{"w1", "one"}, {"w2", "two"}};
  auto team = fleet_with_roles({{"lead", "manager"}, {"w1", "worker"}, {"w2", "worker"}},
                               {{"mode", "deep"}});
  auto run = run_fleet(team, "goal", parallel.deps());
  REQUIRE(run.ok());
  CHECK((*run)["replanned"] == false);
  CHECK((*run)["rounds"][0]["parallel"] == true);
  CHECK((*run)["steps"][0]["agent"] == "w1");
  CHECK((*run)["steps"][1]["agent"] == "w2");
  // Parallel steps of the first round see no results (there are none before them).
  CHECK_FALSE(contains(parallel.inputs_of("w2")[0], "Results so far"));
}

TEST_CASE("peer: manager_synthesis has the manager write the answer from the peers'") {
  ScriptedAgents agents;
  agents.answers = {{"a", "P1"}, {"b", "P2"}, {"m", "P1, because a saw customer impact."}};
  auto fleet = fleet_with_roles({{"a", "worker"}, {"m", "manager"}, {"b", "worker"}},
                                {{"mode", "peer"}, {"aggregation", "manager_synthesis"}});
  auto result = run_fleet(fleet, "sev?", agents.deps());
  REQUIRE(result.ok());
  CHECK((*result)["aggregation"] == "manager_synthesis");
  CHECK((*result)["output"] == "P1, because a saw customer impact.");
  CHECK((*result)["results"].size() == 2);
  const auto asked = agents.inputs_of("m");
  REQUIRE(asked.size() == 1);  // not asked as a peer
  CHECK(contains(asked[0], "\"response\": \"P1\""));
  CHECK(contains(asked[0], "\"response\": \"P2\""));

  auto no_manager = fleet_of({{"a", 1}}, {{"mode", "peer"}, {"aggregation", "manager_synthesis"}});
  auto refused = run_fleet(no_manager, "sev?", agents.deps());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kInvalidArgument);
}

TEST_CASE("timeout_ms: a member not finished in time has failed; allow_partial decides") {
  FakeClock clock;
  std::vector<TimePoint> deadlines;
  FleetRunDeps deps;
  deps.clock = &clock;
  deps.max_parallel = 1;  // in file order, so the fast member is done before the slow starts
  deps.run_agent = [&](const config::Agent& agent, const std::string&,
                       TimePoint deadline) -> Result<Json> {
    deadlines.push_back(deadline);
    if (agent.name == "slow") clock.advance(Millis(1500));  // answers, but too late
    return Json{{"output", agent.name + " says P1"}};
  };
  const TimePoint start = clock.now();
  auto fleet =
      fleet_of({{"fast", 1}, {"slow", 1}},
               {{"mode", "peer"}, {"aggregation", "merge"}, {"consensus", {{"timeout_ms", 1000}}}});
  auto partial = run_fleet(fleet, "sev?", deps);
  REQUIRE(partial.ok());
  CHECK((*partial)["agent_count"] == 1);
  CHECK((*partial)["results"][0]["agent"] == "fast");
  CHECK(deadlines == std::vector<TimePoint>{start + Millis(1000), start + Millis(1000)});

  fleet.coordination["consensus"]["allow_partial"] = false;
  auto strict = run_fleet(fleet, "sev?", deps);
  REQUIRE_FALSE(strict.ok());
  CHECK(strict.error().code() == ErrorCode::kTimeout);
  CHECK(strict.error().message() ==
        "fleet \"f\": allow_partial is false and member slow failed: member slow did not "
        "finish within coordination.consensus.timeout_ms (1000 ms)");

  fleet.coordination["consensus"]["timeout_ms"] = "soon";
  CHECK(run_fleet(fleet, "sev?", deps).error().code() == ErrorCode::kInvalidArgument);
}

}  // namespace aof::runtime::fleet
