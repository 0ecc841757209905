#pragma once
// Runs an AgentFleet (reference §1.2, §5) for one event, its coordination made well-defined:
//   pipeline  members in file order; the first gets the input, each next one the JSON
//             {"input": <original>, "previous_stage": <stage name>, "output": <its answer>};
//             the first failure fails the run. {mode, output, stages: [{agent, output}]}
//   peer      every member × replicas at once (at most max_parallel); failed answers are
//             dropped (all failed → the first error); then `aggregation: merge` lists them
//             ({mode, results: [{agent, response, input_tokens, output_tokens}],
//             agent_count}) or consensus.h decides ({mode, response, confidence, votes,
//             requires_review}; not reached → a permanent error naming the votes)
//   tiered    tiers ascending, each tier a peer round on the current input with
//             coordination.tiered.tier_consensus["<tier>"] (else coordination.consensus,
//             else majority); the next tier gets {"tier", "original_input",
//             "previous_result", "confidence"}; the last tier's winner is the answer
//   swarm     one answer, from the first member (workers keep no load to balance on)
// `hierarchical` and `deep` fail permanently: not in this build yet. Answers are taken in
// file order, so results never depend on which agent finished first. Blocking; thread-safe.

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/config/resources.h"

namespace aof::runtime::fleet {

struct FleetRunDeps {
  // Runs one member's agent on `input`; the agent runtime's result ({output, usage, ...}).
  std::function<Result<nlohmann::json>(const config::Agent& agent, const std::string& input)>
      run_agent;
  std::size_t max_parallel = 10;  // member runs at once (the worker slot's share)
};

Result<nlohmann::json> run_fleet(const config::AgentFleet& fleet, const std::string& input,
                                 const FleetRunDeps& deps);

}  // namespace aof::runtime::fleet
