#include "common/runtime/fleet/fleet_runner.h"

#include <algorithm>
#include <future>
#include <map>

#include "common/runtime/fleet/consensus.h"

namespace aof::runtime::fleet {
namespace {

using Json = nlohmann::json;

struct Instance {
  const config::FleetMember* member;
};

struct Outcome {
  const config::FleetMember* member;
  Result<Json> result;
};

Error invalid(const std::string& why) { return Error(ErrorCode::kInvalidArgument, why); }

std::string output_of(const Json& result) { return result.value("output", ""); }

// Every instance's answer, in file order, at most `max_parallel` at once.
std::vector<Outcome> run_all(const std::vector<Instance>& instances, const std::string& input,
                             const FleetRunDeps& deps) {
  std::vector<Outcome> outcomes;
  const std::size_t batch = std::max<std::size_t>(1, deps.max_parallel);
  for (std::size_t start = 0; start < instances.size(); start += batch) {
    std::vector<std::future<Result<Json>>> running;
    const std::size_t end = std::min(instances.size(), start + batch);
    for (std::size_t i = start; i < end; ++i) {
      const config::Agent& agent = *instances[i].member->agent;
      running.push_back(std::async(std::launch::async,
                                   [&deps, &agent, &input] { return deps.run_agent(agent, input); }));
    }
    for (std::size_t i = start; i < end; ++i) {
      outcomes.push_back({instances[i].member, running[i - start].get()});
    }
  }
  return outcomes;
}

std::vector<Instance> instances_of(const std::vector<const config::FleetMember*>& members) {
  std::vector<Instance> out;
  for (const auto* m : members) {
    for (int r = 0; r < std::max(1, m->replicas); ++r) out.push_back({m});
  }
  return out;
}

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

// The successful answers in file order; all failed → the first error.
Result<std::vector<Answer>> answers_of(const std::vector<Outcome>& outcomes,
                                       const Json& consensus) {
  std::vector<Answer> answers;
  for (const Outcome& o : outcomes) {
    if (o.result.ok()) {
      answers.push_back({o.member->name, output_of(*o.result), weight_of(*o.member, consensus)});
    }
  }
  if (answers.empty() && !outcomes.empty()) return outcomes.front().result.error();
  return answers;
}

Result<Consensus> agree(const std::vector<Outcome>& outcomes, const Json& consensus) {
  auto answers = answers_of(outcomes, consensus);
  if (!answers.ok()) return answers.error();
  auto decided = decide(*answers, consensus_config(consensus));
  if (!decided.ok()) return decided.error();
  if (!decided->reached) {
    return invalid("consensus not reached: " + std::to_string(decided->votes) + " of " +
                   std::to_string(answers->size()) + " answers agree (suggestion: " +
                   decided->response.substr(0, 200) + ")");
  }
  return decided;
}

Result<Json> run_pipeline(const std::vector<const config::FleetMember*>& members,
                          const std::string& input, const FleetRunDeps& deps) {
  Json stages = Json::array();
  std::string current = input;
  std::string last;
  for (const auto* member : members) {
    auto result = deps.run_agent(*member->agent, current);
    if (!result.ok()) return result.error().with_context("pipeline stage " + member->name);
    last = output_of(*result);
    stages.push_back({{"agent", member->name}, {"output", last}});
    current = Json{{"input", input}, {"previous_stage", member->name}, {"output", last}}.dump();
  }
  return Json{{"mode", "pipeline"}, {"output", last}, {"stages", stages}};
}

Result<Json> run_peer(const std::vector<const config::FleetMember*>& members,
                      const std::string& input, const Json& coordination,
                      const FleetRunDeps& deps) {
  const auto outcomes = run_all(instances_of(members), input, deps);
  const Json consensus = coordination.value("consensus", Json());
  if (coordination.value("aggregation", "") == "merge") {
    Json results = Json::array();
    for (const Outcome& o : outcomes) {
      if (!o.result.ok()) continue;
      const Json usage = o.result->value("usage", Json::object());
      results.push_back({{"agent", o.member->name},
                         {"response", output_of(*o.result)},
                         {"input_tokens", usage.value("input_tokens", 0)},
                         {"output_tokens", usage.value("output_tokens", 0)}});
    }
    if (results.empty() && !outcomes.empty()) return outcomes.front().result.error();
    return Json{{"mode", "peer"}, {"results", results}, {"agent_count", results.size()}};
  }
  auto decided = agree(outcomes, consensus);
  if (!decided.ok()) return decided.error();
  return Json{{"mode", "peer"},          {"response", decided->response},
              {"output", decided->response}, {"confidence", decided->confidence},
              {"votes", decided->votes}, {"requires_review", decided->requires_review}};
}

Result<Json> run_tiered(const std::vector<const config::FleetMember*>& members,
                        const std::string& input, const Json& coordination,
                        const FleetRunDeps& deps) {
  std::map<int, std::vector<const config::FleetMember*>> tiers;
  for (const auto* m : members) tiers[std::max(1, m->tier)].push_back(m);
  const Json tiered = coordination.value("tiered", Json::object());
  std::string current = input;
  Consensus last;
  for (const auto& [tier, tier_members] : tiers) {
    const Json per_tier = tiered.value("tier_consensus", Json::object());
    const Json consensus = per_tier.contains(std::to_string(tier))
                               ? per_tier[std::to_string(tier)]
                               : coordination.value("consensus", Json());
    auto decided = agree(run_all(instances_of(tier_members), current, deps), consensus);
    if (!decided.ok()) return decided.error().with_context("tier " + std::to_string(tier));
    last = *decided;
    current = Json{{"tier", tier},
                   {"original_input", input},
                   {"previous_result", last.response},
                   {"confidence", last.confidence}}
                  .dump();
  }
  return Json{{"mode", "tiered"},      {"output", last.response},
              {"response", last.response}, {"confidence", last.confidence},
              {"tier_count", tiers.size()}};
}

Result<Json> run_fleet_unguarded(const config::AgentFleet& fleet, const std::string& input,
                                 const FleetRunDeps& deps) {
  std::vector<const config::FleetMember*> members;
  for (const auto& m : fleet.agents) {
    if (!m.agent) return invalid("fleet \"" + fleet.name + "\": member " + m.name + " has no agent");
    members.push_back(&m);
  }
  if (members.empty()) return invalid("fleet \"" + fleet.name + "\" has no agents");
  const Json coordination = fleet.coordination.is_object() ? fleet.coordination : Json::object();
  const std::string mode = coordination.value("mode", "peer");
  Result<Json> result = invalid("");
  if (mode == "pipeline") {
    result = run_pipeline(members, input, deps);
  } else if (mode == "peer") {
    result = run_peer(members, input, coordination, deps);
  } else if (mode == "tiered") {
    result = run_tiered(members, input, coordination, deps);
  } else if (mode == "swarm") {
    auto one = deps.run_agent(*members.front()->agent, input);
    if (!one.ok()) return one.error().with_context("fleet \"" + fleet.name + "\"");
    result = Json{{"mode", "swarm"}, {"output", output_of(*one)}, {"response", output_of(*one)}};
  } else {
    return invalid("fleet \"" + fleet.name + "\": coordination mode " + mode +
                   " is not available in this build yet (issue 8); pipeline, peer, tiered and "
                   "swarm are");
  }
  if (!result.ok()) return result.error().with_context("fleet \"" + fleet.name + "\"");
  return result;
}

}  // namespace

Result<Json> run_fleet(const config::AgentFleet& fleet, const std::string& input,
                       const FleetRunDeps& deps) {
  try {
    return run_fleet_unguarded(fleet, input, deps);
  } catch (const std::exception& e) {
    // A coordination field of the wrong type (the loader keeps it as written) must not take
    // down a worker thread.
    return invalid("fleet \"" + fleet.name + "\": " + e.what());
  }
}

}  // namespace aof::runtime::fleet
