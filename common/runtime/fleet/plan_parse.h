#pragma once
// Reading the plans a manager (hierarchical) or planner (deep) writes. Models wrap JSON in
// prose or a ```json fence and vary key names, so the reading is lenient where the meaning
// is clear and says what it left out; what cannot be used is never guessed at. Pure;
// thread-safe.
//
// Delegation plan (hierarchical), what the manager is asked for:
//   {"assignments": [{"agent": "<worker>", "task": "<its subtask>"}, ...]}
// also accepted: a bare list of such items; "delegations" / "plan" / "tasks" for
// "assignments"; "worker" / "name" for "agent"; "subtask" / "input" for "task"; and an
// object {"<worker>": "<subtask>"} in place of the list.
// Step plan (deep), what the planner is asked for:
//   {"steps": [{"task": "...", "agent": "<member>"}], "parallel": false, "done": false}
// also accepted: a bare list; steps as plain strings; "step" / "description" for "task";
// "worker" for "agent".

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aof::runtime::fleet {

// The first JSON object or list in `text`: a ```json fence, else any ``` fence, else the
// first balanced {...} or [...] that parses. Looks at the first 64 KiB only.
std::optional<nlohmann::json> extract_json(std::string_view text);

struct Assignment {
  std::string agent;  // one of the workers
  std::string task;
};

struct DelegationPlan {
  std::vector<Assignment> assignments;  // in the workers' file order, then the plan's order
  std::vector<std::string> notes;       // what was ignored, and why
  bool fallback = false;                // no usable assignment: every worker, original task
};

// `workers` in file order. Assignments to other names (the manager included) are ignored
// with a note; so are items without an agent or a task. When nothing usable remains, the
// plan falls back to every worker on `task`, and a note says why.
DelegationPlan parse_delegation(std::string_view answer, const std::vector<std::string>& workers,
                                const std::string& task);

struct Step {
  std::string agent;  // a member, or "" for "whoever is next"
  std::string task;
};

struct StepPlan {
  bool parsed = false;    // JSON was found and read
  bool done = false;      // "done": true (a review saying the goal is reached)
  bool parallel = false;  // "parallel": true (the steps do not depend on each other)
  std::vector<Step> steps;
  std::vector<std::string> notes;
};

// `members` who may carry out steps. A step naming someone else keeps its task and loses
// the name (with a note).
StepPlan parse_steps(std::string_view answer, const std::vector<std::string>& members);

}  // namespace aof::runtime::fleet
