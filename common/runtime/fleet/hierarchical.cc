#include "common/runtime/fleet/hierarchical.h"

#include "common/runtime/fleet/plan_parse.h"

namespace aof::runtime::fleet {
namespace {

using Json = nlohmann::json;

std::string plan_prompt(const FleetRun& run,
                        const std::vector<const config::FleetMember*>& workers) {
  return "You manage the agent fleet \"" + run.fleet.name +
         "\". Split the task below among your workers; leave out those it does not need.\n"
         "Workers:\n" +
         roster(workers) +
         "Answer with JSON only, in this form:\n"
         "{\"assignments\": [{\"agent\": \"<worker name>\", \"task\": \"<the subtask for that "
         "worker>\"}]}\n\nTask:\n" +
         run.input;
}

Json plan_json(const DelegationPlan& plan) {
  Json assignments = Json::array();
  for (const auto& a : plan.assignments) {
    assignments.push_back({{"agent", a.agent}, {"task", a.task}});
  }
  return {{"assignments", assignments}, {"fallback", plan.fallback}, {"notes", plan.notes}};
}

const config::FleetMember* member_named(const std::vector<const config::FleetMember*>& members,
                                        const std::string& name) {
  for (const auto* m : members) {
    if (m->name == name) return m;
  }
  return nullptr;
}

}  // namespace

Result<std::string> synthesize(const FleetRun& run, const config::FleetMember& manager,
                               const std::string& situation, const Json& results) {
  return ask(run, manager,
             "You manage the agent fleet \"" + run.fleet.name + "\". " + situation +
                 " Write the final answer to the task from their results.\n\nTask:\n" + run.input +
                 "\n\nResults (JSON):\n" + results.dump(2));
}

Result<Json> run_hierarchical(const FleetRun& run) {
  const config::FleetMember* manager = manager_of(run);
  if (manager == nullptr) {
    return invalid("hierarchical needs coordination.manager or an agent with role manager");
  }
  const auto workers = members_except(run, manager);
  if (workers.empty()) return invalid("hierarchical needs workers besides the manager");
  auto answer = ask(run, *manager, plan_prompt(run, workers));
  if (!answer.ok()) return answer.error().with_context("delegation plan");
  std::vector<std::string> names;
  for (const auto* w : workers) names.push_back(w->name);
  const DelegationPlan plan = parse_delegation(*answer, names, run.input);

  std::vector<Task> tasks;
  for (const auto& a : plan.assignments) tasks.push_back({member_named(workers, a.agent), a.task});
  const auto outcomes = run_round(run, tasks);
  if (auto s = check_partial(outcomes, run.allow_partial); !s.ok()) return s.error();
  Json results = Json::array();
  for (const Outcome& o : outcomes) results.push_back(outcome_json(o, "output", o.input));

  auto output =
      synthesize(run, *manager, "Your workers carried out the parts you gave them.", results);
  if (!output.ok()) return output.error().with_context("synthesis");
  return Json{{"mode", "hierarchical"}, {"manager", manager->name}, {"plan", plan_json(plan)},
              {"results", results},     {"output", *output},        {"response", *output}};
}

}  // namespace aof::runtime::fleet
