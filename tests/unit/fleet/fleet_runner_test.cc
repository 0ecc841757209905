// AgentFleet coordination (issue 8 item 1, in part): pipeline, peer with each consensus
// algorithm and merge, tiered, swarm; answers taken in file order; members shown running at
// once by a rendezvous.
#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>

#include "common/runtime/fleet/consensus.h"
#include "common/runtime/fleet/fleet_runner.h"
#include "tests/unit/fleet/scripted_agents.h"

namespace aof::runtime::fleet {
namespace {

using Json = nlohmann::json;
using testing::fleet_of;
using testing::ScriptedAgents;

}  // namespace

TEST_CASE("consensus: majority, weighted, unanimous, first_wins, human_review") {
  const std::vector<Answer> answers = {{"a", "P1", 1}, {"b", " p1 ", 1}, {"c", "P3", 3}};
  auto majority = decide(answers, {});
  REQUIRE(majority.ok());
  CHECK(majority->reached);
  CHECK(majority->response == "P1");
  CHECK(majority->votes == 2);
  auto weighted = decide(answers, {"weighted", std::nullopt, std::nullopt});
  CHECK(weighted->response == "P3");  // weight 3 beats 1 + 1
  CHECK(weighted->confidence == doctest::Approx(0.6));
  CHECK_FALSE(decide(answers, {"unanimous", std::nullopt, std::nullopt})->reached);
  CHECK(decide(answers, {"first_wins", std::nullopt, std::nullopt})->response == "P1");
  auto review = decide(answers, {"human_review", std::nullopt, std::nullopt});
  CHECK_FALSE(review->reached);
  CHECK(review->requires_review);
  // A tie goes to the earliest answer in file order, whatever finished first.
  auto tie = decide({{"a", "yes", 1}, {"b", "no", 1}}, {"majority", 1, std::nullopt});
  CHECK(tie->response == "yes");
  CHECK_FALSE(decide(answers, {"vote", std::nullopt, std::nullopt}).ok());
  CHECK(fingerprint(std::string(150, 'A')) == std::string(100, 'a') + "...150");
}

TEST_CASE("peer: every member answers, consensus decides; merge lists them all") {
  ScriptedAgents agents;
  agents.answers = {{"a", "P1"}, {"b", "P1"}, {"c", "P2"}};
  auto peer = run_fleet(fleet_of({{"a", 1}, {"b", 1}, {"c", 1}}, {{"mode", "peer"}}), "sev?",
                        agents.deps());
  REQUIRE(peer.ok());
  CHECK((*peer)["response"] == "P1");
  CHECK((*peer)["votes"] == 2);
  CHECK(agents.calls.size() == 3);
  auto merged = run_fleet(
      fleet_of({{"a", 1}, {"b", 1}, {"c", 1}}, {{"mode", "peer"}, {"aggregation", "merge"}}),
      "sev?", agents.deps());
  REQUIRE(merged.ok());
  CHECK((*merged)["agent_count"] == 3);
  CHECK((*merged)["results"][2] ==
        Json{{"agent", "c"}, {"response", "P2"}, {"input_tokens", 3}, {"output_tokens", 1}});
  // Not reached: a permanent error naming the votes.
  agents.answers = {{"a", "P1"}, {"b", "P2"}, {"c", "P3"}};
  auto split = run_fleet(fleet_of({{"a", 1}, {"b", 1}, {"c", 1}}, {{"mode", "peer"}}), "sev?",
                         agents.deps());
  REQUIRE_FALSE(split.ok());
  CHECK(split.error().code() == ErrorCode::kInvalidArgument);
  CHECK(split.error().message().find("consensus not reached: 1 of 3 answers agree") !=
        std::string::npos);
}

TEST_CASE("peer: members run at once (each waits until all have started)") {
  std::mutex mu;
  std::condition_variable cv;
  int started = 0;
  FleetRunDeps deps;
  deps.run_agent = [&](const config::Agent& agent, const std::string&, TimePoint) -> Result<Json> {
    std::unique_lock lock(mu);
    ++started;
    cv.notify_all();
    const bool all = cv.wait_for(lock, std::chrono::seconds(20), [&] { return started == 3; });
    return Json{{"output", all ? "together" : agent.name}};
  };
  auto result = run_fleet(fleet_of({{"a", 1}, {"b", 1}, {"c", 1}}, {{"mode", "peer"}}), "x", deps);
  REQUIRE(result.ok());
  CHECK((*result)["response"] == "together");
  CHECK((*result)["votes"] == 3);
}

TEST_CASE("pipeline: each stage gets the previous answer; the first failure stops it") {
  ScriptedAgents agents;
  agents.answers = {{"draft", "v1"}, {"edit", "v2"}};
  auto result = run_fleet(fleet_of({{"draft", 1}, {"edit", 1}}, {{"mode", "pipeline"}}), "write",
                          agents.deps());
  REQUIRE(result.ok());
  CHECK((*result)["output"] == "v2");
  REQUIRE(agents.calls.size() == 2);
  CHECK(agents.calls[0].second == "write");
  CHECK(Json::parse(agents.calls[1].second) ==
        Json{{"input", "write"}, {"previous_stage", "draft"}, {"output", "v1"}});
  agents.answers.erase("draft");
  auto failed = run_fleet(fleet_of({{"draft", 1}, {"edit", 1}}, {{"mode", "pipeline"}}), "write",
                          agents.deps());
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code() == ErrorCode::kUnavailable);  // retryable, as the agent's error
  CHECK(failed.error().message() == "fleet \"f\": pipeline stage draft: draft: 503");
}

TEST_CASE("tiered: each tier agrees, the next tier gets its answer; swarm; bad coordination") {
  ScriptedAgents agents;
  agents.answers = {{"t1a", "disk full"}, {"t1b", "disk full"}, {"t2", "clean /var/log"}};
  auto tiered = run_fleet(fleet_of({{"t2", 2}, {"t1a", 1}, {"t1b", 1}}, {{"mode", "tiered"}}),
                          "why down?", agents.deps());
  REQUIRE(tiered.ok());
  CHECK((*tiered)["output"] == "clean /var/log");
  CHECK((*tiered)["tier_count"] == 2);
  const auto tier2_input = std::find_if(agents.calls.begin(), agents.calls.end(),
                                        [](const auto& c) { return c.first == "t2"; });
  REQUIRE(tier2_input != agents.calls.end());
  CHECK(Json::parse(tier2_input->second)["previous_result"] == "disk full");
  CHECK((*tiered)["aggregation"] == "consensus");

  // pass_all_results: the next tier sees every answer; final_aggregation merge lists the
  // tiers' answers; manager_synthesis without a manager falls back to merge, as in AOF.
  agents.calls.clear();
  const Json merge_tiers = {{"mode", "tiered"},
                            {"tiered", {{"pass_all_results", true}, {"final_aggregation", "merge"}}}};
  auto merged = run_fleet(fleet_of({{"t2", 2}, {"t1a", 1}, {"t1b", 1}}, merge_tiers), "why down?",
                          agents.deps());
  REQUIRE(merged.ok());
  CHECK((*merged)["output"] == "tier 1: disk full\n\ntier 2: clean /var/log");
  const Json seen = Json::parse(agents.inputs_of("t2").at(0));
  CHECK(seen["previous_results"] == Json::parse(R"([{"agent": "t1a", "response": "disk full"},
                                                     {"agent": "t1b", "response": "disk full"}])"));
  CHECK(seen["consensus_result"] == "disk full");
  auto fallback = run_fleet(
      fleet_of({{"t2", 2}, {"t1a", 1}},
               {{"mode", "tiered"}, {"tiered", {{"final_aggregation", "manager_synthesis"}}}}),
      "why down?", agents.deps());
  REQUIRE(fallback.ok());
  CHECK((*fallback)["aggregation"] == "merge");

  auto swarm = run_fleet(fleet_of({{"t1a", 1}}, {{"mode", "swarm"}}), "x", agents.deps());
  CHECK((*swarm)["output"] == "disk full");
  auto unknown = run_fleet(fleet_of({{"t1a", 1}}, {{"mode", "mesh"}}), "x", agents.deps());
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message() ==
        "fleet \"f\": coordination.mode mesh is not one of hierarchical, peer, swarm, pipeline, "
        "tiered, deep");
  auto bad = run_fleet(fleet_of({{"t1a", 1}}, {{"mode", "peer"}, {"consensus", {{"algorithm", 5}}}}),
                       "x", agents.deps());
  CHECK_FALSE(bad.ok());  // a wrong type is an error, not a crash
}

}  // namespace aof::runtime::fleet
