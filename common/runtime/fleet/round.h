#pragma once
// Private to fleet/: what every coordination mode shares. A FleetRun is one run's fixed
// context (members, budget, failure policy); a round runs member tasks at once, bounded by
// max_parallel and the members' budget, and gives the outcomes back in task order, so no
// result depends on which member finished first.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "common/runtime/fleet/fleet_runner.h"

namespace aof::runtime::fleet {

struct FleetRun {
  const config::AgentFleet& fleet;
  std::vector<const config::FleetMember*> members;  // file order, each with an agent
  nlohmann::json coordination;                      // an object
  std::string input;                                // the task, as the event gave it
  const FleetRunDeps& deps;
  TimePoint member_deadline;  // the task's deadline, or sooner with consensus.timeout_ms
  long long timeout_ms = 0;   // consensus.timeout_ms; 0 = not set (for messages)
  bool allow_partial = true;  // consensus.allow_partial
};

// Builds the run's context; kInvalidArgument for a member without an agent, no members, or a
// timeout_ms / allow_partial of the wrong type.
Result<FleetRun> make_fleet_run(const config::AgentFleet& fleet, const std::string& input,
                                const FleetRunDeps& deps);

struct Task {
  const config::FleetMember* member;
  std::string input;
};

struct Outcome {
  const config::FleetMember* member;
  std::string input;
  Result<nlohmann::json> result;  // a member finishing after member_deadline: kTimeout
};

// Runs `tasks` at once (batches of max_parallel), each to finish by run.member_deadline.
std::vector<Outcome> run_round(const FleetRun& run, const std::vector<Task>& tasks);

// One member's task on its own (pipeline stages, swarm), under the same budget.
Outcome run_one(const FleetRun& run, const config::FleetMember& member, const std::string& input);

// Each member `replicas` times with `input`, in file order.
std::vector<Task> replicated(const std::vector<const config::FleetMember*>& members,
                             const std::string& input);

// The failure policy over a round: allow_partial false → the first failure (in task order);
// every outcome failed → the first error; else ok.
Status check_partial(const std::vector<Outcome>& outcomes, bool allow_partial);

// coordination.manager, else the first member with role manager; nullptr when neither.
const config::FleetMember* manager_of(const FleetRun& run);

// The members other than `excluded` (may be null), in file order.
std::vector<const config::FleetMember*> members_except(const FleetRun& run,
                                                       const config::FleetMember* excluded);

// Asks the manager (or planner) `prompt`, bounded by the task's deadline (not the members'
// budget). Errors name it: "manager lead: ...".
Result<std::string> ask(const FleetRun& run, const config::FleetMember& manager,
                        const std::string& prompt);

// A member's answer text: its result's "output" ("" when absent).
std::string output_of(const nlohmann::json& result);

// {agent, <text_key>: answer, input_tokens, output_tokens} or {agent, error} for a failure;
// `task` is added when not empty.
nlohmann::json outcome_json(const Outcome& outcome, const char* text_key,
                            const std::string& task = "");

// "- name (role): first line of its instructions" per member, for prompts.
std::string roster(const std::vector<const config::FleetMember*>& members);

Error invalid(const std::string& why);

}  // namespace aof::runtime::fleet
