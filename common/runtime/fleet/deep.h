#pragma once
// Private to fleet/: deep coordination (reference §5 `deep`, with AOF's coordination.deep
// fields, made well-defined; AOF used the first agent only and graded findings by keyword).
// The planner is coordination.manager, else the first agent with role manager, else the
// first agent; the executors are the other members in file order (the planner itself when
// it is alone).
//   plan        with `planning` (default true) the planner, given `planner_prompt` first, is
//               asked for steps (plan_parse.h's step plan). Without planning, every executor
//               gets one step, the goal itself, all at once. An answer without usable steps
//               becomes one step: the goal (noted).
//   execute     a step without an agent goes to the executors in turn (the k-th step of the
//               run to executor k mod n). "parallel": true runs a round's steps at once;
//               otherwise in order. With `memory` (default true) each step's input carries
//               the results before it (for parallel steps: those of earlier rounds).
//   re-plan     once, after the first round (when planning): the planner sees the results
//               and answers {"done": true}, or more steps, which run as a second round. An
//               answer without JSON counts as done (noted).
//   bound       `max_iterations` (default 10) is the number of steps run in all; steps past
//               it are dropped (noted).
//   synthesize  the planner, given `synthesizer_prompt` first, writes the answer.
// allow_partial: false → a failed step fails the run; true → it is recorded with its error
// and later steps see that. `planner_model` has no effect (the planner is a member).
// Result: {mode: "deep", planner, rounds: [{steps: [{agent, task}], parallel, notes}],
// steps: [{round, step, agent, task, output | error, input_tokens, output_tokens}],
// iterations (steps run), replanned, output, response}.

#include <nlohmann/json.hpp>

#include "common/runtime/fleet/round.h"

namespace aof::runtime::fleet {

Result<nlohmann::json> run_deep(const FleetRun& run);

}  // namespace aof::runtime::fleet
