// pipeline, peer, tiered and swarm (fleet_runner.h).
#include <map>

#include "common/runtime/fleet/consensus.h"
#include "common/runtime/fleet/hierarchical.h"
#include "common/runtime/fleet/modes.h"

namespace aof::runtime::fleet {
namespace {

using Json = nlohmann::json;

ConsensusConfig consensus_config(const Json& consensus) {
  ConsensusConfig out;
  if (!consensus.is_object()) return out;
  out.algorithm = consensus.value("algorithm", "majority");
  if (consensus.contains("min_votes") && consensus["min_votes"].is_number_integer()) {
    out.min_votes = consensus["min_votes"].get<int>();
  }
  if (consensus.contains("min_confidence") && consensus["min_confidence"].is_number()) {
    out.min_confidence = consensus["min_confidence"].get<double>();
  }
  return out;
}

double weight_of(const config::FleetMember& member, const Json& consensus) {
  const Json weights = consensus.is_object() ? consensus.value("weights", Json::object()) : Json();
  if (weights.is_object() && weights.contains(member.name) && weights[member.name].is_number()) {
    return weights[member.name].get<double>();
  }
  return member.weight.value_or(1.0);
}

// A round's consensus: the failure policy first, then the successful answers in file order.
Result<Consensus> agree(const std::vector<Outcome>& outcomes, const Json& consensus,
                        bool allow_partial) {
  if (auto s = check_partial(outcomes, allow_partial); !s.ok()) return s.error();
  std::vector<Answer> answers;
  for (const Outcome& o : outcomes) {
    if (o.result.ok()) {
      answers.push_back({o.member->name, output_of(*o.result), weight_of(*o.member, consensus)});
    }
  }
  auto decided = decide(answers, consensus_config(consensus));
  if (!decided.ok()) return decided.error();
  if (!decided->reached) {
    return invalid("consensus not reached: " + std::to_string(decided->votes) + " of " +
                   std::to_string(answers.size()) +
                   " answers agree (suggestion: " + decided->response.substr(0, 200) + ")");
  }
  return decided;
}

Result<Json> merged(const FleetRun& run, const std::vector<Outcome>& outcomes) {
  if (auto s = check_partial(outcomes, run.allow_partial); !s.ok()) return s.error();
  Json results = Json::array();
  std::string output;
  for (const Outcome& o : outcomes) {
    if (!o.result.ok()) continue;
    results.push_back(outcome_json(o, "response"));
    output += (output.empty() ? "" : "\n\n") + o.member->name + ": " + output_of(*o.result);
  }
  return Json{
      {"mode", "peer"}, {"results", results}, {"agent_count", results.size()}, {"output", output}};
}

Result<Json> manager_synthesis(const FleetRun& run) {
  const config::FleetMember* manager = manager_of(run);
  if (manager == nullptr) {
    return invalid(
        "aggregation manager_synthesis needs coordination.manager or an agent with "
        "role manager");
  }
  const auto peers = members_except(run, manager);
  if (peers.empty())
    return invalid("aggregation manager_synthesis needs members besides the manager");
  const auto outcomes = run_round(run, replicated(peers, run.input));
  if (auto s = check_partial(outcomes, run.allow_partial); !s.ok()) return s.error();
  Json results = Json::array();
  for (const Outcome& o : outcomes) results.push_back(outcome_json(o, "response"));
  auto answer =
      synthesize(run, *manager, "Its members answered the task below independently.", results);
  if (!answer.ok()) return answer.error();
  return Json{{"mode", "peer"},           {"aggregation", "manager_synthesis"},
              {"manager", manager->name}, {"results", results},
              {"output", *answer},        {"response", *answer}};
}

}  // namespace

Result<Json> run_pipeline(const FleetRun& run) {
  Json stages = Json::array();
  std::string current = run.input;
  std::string last;
  for (const auto* member : run.members) {
    const Outcome stage = run_one(run, *member, current);
    if (!stage.result.ok()) {
      return stage.result.error().with_context("pipeline stage " + member->name);
    }
    last = output_of(*stage.result);
    stages.push_back({{"agent", member->name}, {"output", last}});
    current = Json{{"input", run.input}, {"previous_stage", member->name}, {"output", last}}.dump();
  }
  return Json{{"mode", "pipeline"}, {"output", last}, {"stages", stages}};
}

Result<Json> run_peer(const FleetRun& run) {
  const std::string aggregation = run.coordination.value("aggregation", "consensus");
  if (aggregation == "manager_synthesis") return manager_synthesis(run);
  const auto outcomes = run_round(run, replicated(run.members, run.input));
  if (aggregation == "merge") return merged(run, outcomes);
  auto decided = agree(outcomes, run.coordination.value("consensus", Json()), run.allow_partial);
  if (!decided.ok()) return decided.error();
  return Json{{"mode", "peer"},
              {"response", decided->response},
              {"output", decided->response},
              {"confidence", decided->confidence},
              {"votes", decided->votes},
              {"requires_review", decided->requires_review}};
}

Result<Json> run_tiered(const FleetRun& run) {
  std::map<int, std::vector<const config::FleetMember*>> tiers;
  for (const auto* m : run.members) tiers[std::max(1, m->tier)].push_back(m);
  const Json tiered = run.coordination.value("tiered", Json::object());
  const Json per_tier = tiered.value("tier_consensus", Json::object());
  const bool pass_all = tiered.value("pass_all_results", false);
  std::string current = run.input;
  Consensus last;
  Json winners = Json::array();  // each tier's agreed answer, ascending
  for (const auto& [tier, tier_members] : tiers) {
    const std::string key = std::to_string(tier);
    const Json consensus =
        per_tier.contains(key) ? per_tier[key] : run.coordination.value("consensus", Json());
    const bool allow_partial = consensus.is_object()
                                   ? consensus.value("allow_partial", run.allow_partial)
                                   : run.allow_partial;
    const auto outcomes = run_round(run, replicated(tier_members, current));
    auto decided = agree(outcomes, consensus, allow_partial);
    if (!decided.ok()) return decided.error().with_context("tier " + key);
    last = *decided;
    winners.push_back({{"tier", tier}, {"response", last.response}, {"confidence", last.confidence}});
    Json next = {{"tier", tier}, {"original_input", run.input}};
    if (pass_all) {  // AOF's shape: every answer of the tier, and what it agreed on
      Json previous = Json::array();
      for (const Outcome& o : outcomes) {
        if (o.result.ok()) {
          previous.push_back({{"agent", o.member->name}, {"response", output_of(*o.result)}});
        }
      }
      next["previous_results"] = std::move(previous);
      next["consensus_result"] = last.response;
      next["consensus_confidence"] = last.confidence;
    } else {
      next["previous_result"] = last.response;
      next["confidence"] = last.confidence;
    }
    current = next.dump();
  }
  // tiered.final_aggregation: consensus (the last tier's answer), merge (every tier's, in
  // order), manager_synthesis (the manager writes the answer from them; merge without one,
  // as in AOF).
  std::string aggregation = tiered.value("final_aggregation", "consensus");
  std::string output = last.response;
  if (aggregation == "manager_synthesis") {
    if (const config::FleetMember* manager = manager_of(run); manager != nullptr) {
      auto answer = synthesize(
          run, *manager, "Its tiers answered the task below one after another, each agreeing on an answer.",
          winners);
      if (!answer.ok()) return answer.error();
      output = *answer;
    } else {
      aggregation = "merge";
    }
  }
  if (aggregation == "merge") {
    output.clear();
    for (const Json& winner : winners) {
      output += (output.empty() ? "" : "\n\n") + std::string("tier ") +
                std::to_string(winner["tier"].get<int>()) + ": " +
                winner["response"].get<std::string>();
    }
  }
  return Json{{"mode", "tiered"},           {"aggregation", aggregation},
              {"output", output},           {"response", output},
              {"confidence", last.confidence}, {"tier_count", tiers.size()},
              {"tiers", winners}};
}

Result<Json> run_swarm(const FleetRun& run) {
  const Outcome one = run_one(run, *run.members.front(), run.input);
  if (!one.result.ok()) return one.result.error();
  const std::string answer = output_of(*one.result);
  return Json{{"mode", "swarm"}, {"output", answer}, {"response", answer}};
}

}  // namespace aof::runtime::fleet
