#pragma once
// Private to fleet/: hierarchical coordination (reference §5, made real: AOF asked the manager
// for a plan, threw it away and gave the raw task to one instance).
//   1. The manager (coordination.manager, else the first agent with role manager) is asked
//      for a delegation plan (plan_parse.h's format) over the workers: every other member,
//      in file order, listed in the prompt with the first line of their instructions.
//   2. The assignments run at once (max_parallel), each worker on its subtask, in the
//      workers' file order. A worker may get several; replicas do not multiply them. A plan
//      that cannot be used puts every worker on the original task, and the result says so
//      (plan.fallback, plan.notes).
//   3. allow_partial applies to the workers; then the manager writes the answer from their
//      results (failed ones shown to it as {agent, task, error}).
// Result: {mode: "hierarchical", manager, plan: {assignments: [{agent, task}], fallback,
// notes}, results: [{agent, task, output | error, input_tokens, output_tokens}], output,
// response}. A fleet that is only its manager fails (kInvalidArgument): nobody to delegate to.

#include <nlohmann/json.hpp>

#include <string>

#include "common/runtime/fleet/round.h"

namespace aof::runtime::fleet {

Result<nlohmann::json> run_hierarchical(const FleetRun& run);

// The manager writes the fleet's answer to run.input from `results` (a JSON array);
// `situation` tells it where they came from. Also peer's manager_synthesis.
Result<std::string> synthesize(const FleetRun& run, const config::FleetMember& manager,
                               const std::string& situation, const nlohmann::json& results);

}  // namespace aof::runtime::fleet
