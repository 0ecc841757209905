#pragma once
// Runs an AgentFleet (reference §1.2, §5) for one event, its coordination made well-defined.
// "Members" are the fleet's agents in file order; the manager is coordination.manager, else
// the first agent with role manager.
//   pipeline      members in file order; the first gets the input, each next one the JSON
//                 {"input": <original>, "previous_stage": <stage name>, "output": <answer>};
//                 the first failure fails the run. {mode, output, stages: [{agent, output}]}
//   peer          every member × replicas at once (at most max_parallel); then
//                 `aggregation: merge` lists the answers ({mode, results: [{agent, response,
//                 input_tokens, output_tokens}], agent_count, output: "<agent>: <answer>"
//                 paragraphs}), `manager_synthesis` has the manager (which does not answer
//                 as a peer) write the answer from the others' ({mode, aggregation, manager,
//                 results, output}), else consensus.h decides ({mode, response, output,
//                 confidence, votes, requires_review}; not reached → a permanent error
//                 naming the votes)
//   tiered        tiers ascending, each tier a peer round on the current input with
//                 coordination.tiered.tier_consensus["<tier>"] (else coordination.consensus,
//                 else majority); the next tier gets {"tier", "original_input",
//                 "previous_result", "confidence"} (tiered.pass_all_results: every answer
//                 as "previous_results" plus "consensus_result", "consensus_confidence");
//                 tiered.final_aggregation: consensus (default: the last tier's winner),
//                 merge (every tier's winner in order), manager_synthesis (the manager
//                 writes it from them; merge without a manager). {mode, aggregation,
//                 output, confidence, tier_count, tiers: [{tier, response, confidence}]}
//   swarm         one answer, from the first member (workers keep no load to balance on)
//   hierarchical  hierarchical.h: the manager's delegation plan, the workers at once, the
//                 manager's synthesis
//   deep          deep.h: plan, execute, one re-plan, synthesize
// Budget and failures (coordination.consensus, AOF's fields, which AOF parsed and ignored):
//   timeout_ms    the members' budget, from the start of the run: a member that has not
//                 finished by then has failed (kTimeout). Members are run with that deadline,
//                 so they stop by themselves. The manager's own calls (plan, synthesis) are
//                 bounded by the task's deadline only, so it can still answer from what
//                 finished in time.
//   allow_partial true (default, what AOF does): failed members are left out and the
//                 others decide (all failed → the first error); false: any failed member
//                 fails the run with its error. tier_consensus may set it per tier.
// Answers are taken in file order, so results never depend on which agent finished first.
// Errors keep the failing member's code (a rate limit stays retryable); a bad coordination
// is kInvalidArgument (permanent). Blocking; thread-safe.

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/config/resources.h"

namespace aof::runtime::fleet {

struct FleetRunDeps {
  // Runs one agent (a member's, or the manager's) on `input`, to finish by `deadline`; the
  // agent runtime's result ({output, usage, ...}).
  std::function<Result<nlohmann::json>(const config::Agent& agent, const std::string& input,
                                       TimePoint deadline)>
      run_agent;
  std::size_t max_parallel = 10;          // member runs at once (the worker slot's share)
  const Clock* clock = nullptr;           // measures timeout_ms; null = the system clock
  TimePoint deadline = TimePoint::max();  // the task's: every call ends by then
};

Result<nlohmann::json> run_fleet(const config::AgentFleet& fleet, const std::string& input,
                                 const FleetRunDeps& deps);

}  // namespace aof::runtime::fleet
