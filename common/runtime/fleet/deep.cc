#include "common/runtime/fleet/deep.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "common/runtime/fleet/plan_parse.h"

namespace aof::runtime::fleet {
namespace {

using Json = nlohmann::json;

constexpr int kDefaultMaxSteps = 10;             // AOF's deep.max_iterations default
constexpr std::size_t kPriorOutputBytes = 4000;  // of each earlier result in a step's input

struct DeepConfig {
  int max_steps = kDefaultMaxSteps;
  bool planning = true;
  bool memory = true;
  std::string planner_prompt;
  std::string synthesizer_prompt;
};

// One run: who plans and executes, and what has happened so far.
struct Deep {
  const FleetRun& run;
  DeepConfig settings;
  const config::FleetMember* planner = nullptr;
  std::vector<const config::FleetMember*> executors = {};  // file order
  Json rounds = Json::array();
  Json steps = Json::array();                       // every step run, in order
  std::optional<Error> first_error = std::nullopt;  // of the steps that failed
  bool replanned = false;
};

Result<DeepConfig> deep_config(const Json& coordination) {
  DeepConfig out;
  const Json deep = coordination.value("deep", Json::object());
  if (!deep.is_object()) return invalid("coordination.deep must be a map");
  const auto flag = [&](const char* key, bool& target) {
    if (!deep.contains(key)) return true;
    if (!deep[key].is_boolean()) return false;
    target = deep[key].get<bool>();
    return true;
  };
  const auto text = [&](const char* key, std::string& target) {
    if (!deep.contains(key)) return true;
    if (!deep[key].is_string()) return false;
    target = deep[key].get<std::string>();
    return true;
  };
  if (deep.contains("max_iterations")) {
    if (!deep["max_iterations"].is_number_integer() ||
        deep["max_iterations"].get<long long>() < 1) {
      return invalid("coordination.deep.max_iterations must be an integer >= 1");
    }
    // The loader keeps it within an int; JSON built elsewhere is held to the same.
    const long long wanted = deep["max_iterations"].get<long long>();
    out.max_steps = static_cast<int>(std::min<long long>(wanted, INT32_MAX));
  }
  if (!flag("planning", out.planning) || !flag("memory", out.memory) ||
      !text("planner_prompt", out.planner_prompt) ||
      !text("synthesizer_prompt", out.synthesizer_prompt)) {
    return invalid(
        "coordination.deep: planning and memory must be true or false, the prompts "
        "strings");
  }
  return out;
}

// `text` cut to `max` bytes on a UTF-8 boundary.
std::string cut(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "... (cut)";
}

std::string dump(const Json& value) {
  return value.dump(2, ' ', false, Json::error_handler_t::replace);
}

std::string with_prompt(const std::string& prompt, const std::string& text) {
  return prompt.empty() ? text : prompt + "\n\n" + text;
}

std::vector<std::string> executor_names(const Deep& d) {
  std::vector<std::string> names;
  for (const auto* e : d.executors) names.push_back(e->name);
  return names;
}

const char* kStepForm =
    "{\"steps\": [{\"task\": \"<what to do>\", \"agent\": \"<member name>\"}], \"parallel\": "
    "false}\nSet \"parallel\" to true only when the steps do not depend on each other.";

std::string plan_prompt(const Deep& d) {
  return with_prompt(
      d.settings.planner_prompt,
      "Plan how to reach the goal below in at most " + std::to_string(d.settings.max_steps) +
          " steps. Members who can carry out steps:\n" + roster(d.executors) +
          "Answer with JSON only, in this form:\n" + kStepForm + "\n\nGoal:\n" + d.run.input);
}

std::string review_prompt(const Deep& d, int steps_left) {
  return with_prompt(
      d.settings.planner_prompt,
      "The steps of your plan for the goal below have run. If their results reach the goal, "
      "answer {\"done\": true}. If more work is needed, answer {\"done\": false, \"steps\": "
      "[...]} with at most " +
          std::to_string(steps_left) + " more steps, each step as before:\n" + kStepForm +
          "\n\nGoal:\n" + d.run.input + "\n\nResults (JSON):\n" + dump(d.steps));
}

// Earlier results as a step sees them: outputs cut, so inputs stay bounded.
Json prior_results(const Deep& d) {
  Json prior = Json::array();
  for (Json step : d.steps) {
    if (step.contains("output"))
      step["output"] = cut(step["output"].get<std::string>(), kPriorOutputBytes);
    step.erase("input_tokens");
    step.erase("output_tokens");
    prior.push_back(std::move(step));
  }
  return prior;
}

std::string step_input(const Deep& d, const Step& step, std::size_t index, std::size_t count) {
  std::string input = "Goal:\n" + d.run.input + "\n\nYour step (" + std::to_string(index + 1) +
                      " of " + std::to_string(count) + "): " + step.task;
  if (d.settings.memory && !d.steps.empty()) {
    input += "\n\nResults so far (JSON):\n" + dump(prior_results(d));
  }
  return input;
}

// The step's own agent, else the executor whose turn it is: the run's step number (steps
// recorded, plus `offset` for steps of a parallel round not recorded yet) modulo n.
const config::FleetMember* executor_for(const Deep& d, const Step& step, std::size_t offset) {
  for (const auto* e : d.executors) {
    if (e->name == step.agent) return e;
  }
  return d.executors[(d.steps.size() + offset) % d.executors.size()];
}

void record(Deep& d, int round, std::size_t index, const Step& step, const Outcome& outcome) {
  if (!outcome.result.ok() && !d.first_error) d.first_error = outcome.result.error();
  Json entry = outcome_json(outcome, "output", step.task);
  entry["round"] = round;
  entry["step"] = index + 1;
  d.steps.push_back(std::move(entry));
}

// Runs a round's steps: in order (each seeing the ones before) or at once.
Status execute(Deep& d, int round, const StepPlan& plan) {
  const std::size_t n = plan.steps.size();
  if (!plan.parallel) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto* member = executor_for(d, plan.steps[i], 0);
      const Outcome outcome = run_one(d.run, *member, step_input(d, plan.steps[i], i, n));
      if (!outcome.result.ok() && !d.run.allow_partial) {
        return outcome.result.error().with_context("step " + std::to_string(i + 1));
      }
      record(d, round, i, plan.steps[i], outcome);
    }
    return ok_status();
  }
  std::vector<Task> tasks;
  for (std::size_t i = 0; i < n; ++i) {
    tasks.push_back({executor_for(d, plan.steps[i], i), step_input(d, plan.steps[i], i, n)});
  }
  const auto outcomes = run_round(d.run, tasks);
  if (!d.run.allow_partial) {
    if (auto s = check_partial(outcomes, false); !s.ok()) return s.error();
  }
  for (std::size_t i = 0; i < n; ++i) record(d, round, i, plan.steps[i], outcomes[i]);
  return ok_status();
}

// Keeps at most `left` steps, noting what was dropped.
StepPlan bounded(StepPlan plan, int left) {
  if (plan.steps.size() > static_cast<std::size_t>(left)) {
    plan.notes.push_back(std::to_string(plan.steps.size() - left) +
                         " step(s) dropped: max_iterations allows " + std::to_string(left) +
                         " more");
    plan.steps.resize(left);
  }
  return plan;
}

StepPlan first_plan_from(const Deep& d, const std::string& answer) {
  StepPlan plan = parse_steps(answer, executor_names(d));
  if (plan.steps.empty()) {
    plan.notes.push_back("no usable steps in the plan: the goal is one step");
    plan.steps.push_back({"", d.run.input});
    plan.parallel = false;
  }
  return bounded(std::move(plan), d.settings.max_steps);
}

StepPlan unplanned(const Deep& d) {
  StepPlan plan;
  plan.parallel = true;
  for (const auto* e : d.executors) plan.steps.push_back({e->name, d.run.input});
  return bounded(std::move(plan), d.settings.max_steps);
}

Json round_json(const StepPlan& plan) {
  Json steps = Json::array();
  for (const Step& s : plan.steps) steps.push_back({{"agent", s.agent}, {"task", s.task}});
  return {{"steps", steps}, {"parallel", plan.parallel}, {"notes", plan.notes}};
}

// Round 2, if the planner asks for it: nullopt when done.
Result<std::optional<StepPlan>> review(Deep& d) {
  const int left = d.settings.max_steps - static_cast<int>(d.steps.size());
  if (left <= 0) return std::optional<StepPlan>();
  auto answer = ask(d.run, *d.planner, review_prompt(d, left));
  if (!answer.ok()) return answer.error().with_context("re-plan");
  StepPlan plan = parse_steps(*answer, executor_names(d));
  if (!plan.parsed) {
    plan.notes.push_back("the review holds no JSON: taken as done");
    d.rounds.push_back(round_json(plan));  // records why nothing more ran
    return std::optional<StepPlan>();
  }
  if (plan.done || plan.steps.empty()) return std::optional<StepPlan>();
  return std::optional<StepPlan>(bounded(std::move(plan), left));
}

// Plan, round 1, review, round 2 if asked for.
Status run_rounds(Deep& d) {
  StepPlan plan = unplanned(d);
  if (d.settings.planning) {
    auto answer = ask(d.run, *d.planner, plan_prompt(d));
    if (!answer.ok()) return answer.error().with_context("plan");
    plan = first_plan_from(d, *answer);
  }
  d.rounds.push_back(round_json(plan));
  if (auto s = execute(d, 1, plan); !s.ok()) return s.error().with_context("round 1");
  if (d.settings.planning) {
    auto more = review(d);
    if (!more.ok()) return more.error();
    if (*more) {
      d.replanned = true;
      d.rounds.push_back(round_json(**more));
      if (auto s = execute(d, 2, **more); !s.ok()) return s.error().with_context("round 2");
    }
  }
  const bool any_ok = std::any_of(d.steps.begin(), d.steps.end(),
                                  [](const Json& s) { return s.contains("output"); });
  if (!any_ok && d.first_error) return d.first_error->with_context("every step failed");
  return ok_status();
}

}  // namespace

Result<Json> run_deep(const FleetRun& run) {
  auto settings = deep_config(run.coordination);
  if (!settings.ok()) return settings.error();
  Deep d{run, *settings};
  d.planner = manager_of(run) != nullptr ? manager_of(run) : run.members.front();
  d.executors = members_except(run, d.planner);
  if (d.executors.empty()) d.executors.push_back(d.planner);
  if (auto s = run_rounds(d); !s.ok()) return s.error();
  auto output = ask(run, *d.planner,
                    with_prompt(d.settings.synthesizer_prompt,
                                "Write the final answer to the goal below from the results of "
                                "the steps.\n\nGoal:\n" +
                                    run.input + "\n\nResults (JSON):\n" + dump(d.steps)));
  if (!output.ok()) return output.error().with_context("synthesis");
  return Json{{"mode", "deep"},    {"planner", d.planner->name},   {"rounds", d.rounds},
              {"steps", d.steps},  {"iterations", d.steps.size()}, {"replanned", d.replanned},
              {"output", *output}, {"response", *output}};
}

}  // namespace aof::runtime::fleet
