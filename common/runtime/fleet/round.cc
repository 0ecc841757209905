#include "common/runtime/fleet/round.h"

#include <algorithm>
#include <future>

namespace aof::runtime::fleet {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kRosterLine = 200;         // bytes of a member's instructions in a prompt
constexpr long long kMaxTimeoutMs = 86'400'000;  // a day: longer is a typo, not a budget

const Clock& clock_of(const FleetRunDeps& deps) {
  return deps.clock != nullptr ? *deps.clock : SystemClock::instance();
}

// Runs the task; an answer that came after the budget counts as not come at all, so the
// outcome does not depend on how long past the deadline the agent took to notice.
Result<Json> run_task(const FleetRun& run, const Task& task) {
  auto result = run.deps.run_agent(*task.member->agent, task.input, run.member_deadline);
  if (clock_of(run.deps).now() <= run.member_deadline) return result;
  const std::string budget = run.timeout_ms > 0 ? "coordination.consensus.timeout_ms (" +
                                                      std::to_string(run.timeout_ms) + " ms)"
                                                : "the task's deadline";
  return Error(ErrorCode::kTimeout,
               "member " + task.member->name + " did not finish within " + budget);
}

}  // namespace

Error invalid(const std::string& why) { return Error(ErrorCode::kInvalidArgument, why); }

Result<FleetRun> make_fleet_run(const config::AgentFleet& fleet, const std::string& input,
                                const FleetRunDeps& deps) {
  FleetRun run{fleet, {}, Json::object(), input, deps, deps.deadline};
  for (const auto& m : fleet.agents) {
    if (!m.agent) return invalid("member " + m.name + " has no agent");
    run.members.push_back(&m);
  }
  if (run.members.empty()) return invalid("no agents");
  if (fleet.coordination.is_object()) run.coordination = fleet.coordination;
  const Json consensus = run.coordination.value("consensus", Json::object());
  if (!consensus.is_object()) return invalid("coordination.consensus must be a map");
  if (consensus.contains("timeout_ms")) {
    const Json& timeout = consensus["timeout_ms"];
    if (!timeout.is_number_integer() || timeout < 1 || timeout > kMaxTimeoutMs) {
      return invalid("coordination.consensus.timeout_ms must be an integer from 1 to " +
                     std::to_string(kMaxTimeoutMs));
    }
    run.timeout_ms = timeout.get<long long>();
    run.member_deadline = std::min(deps.deadline, clock_of(deps).now() + Millis(run.timeout_ms));
  }
  if (consensus.contains("allow_partial")) {
    if (!consensus["allow_partial"].is_boolean()) {
      return invalid("coordination.consensus.allow_partial must be true or false");
    }
    run.allow_partial = consensus["allow_partial"].get<bool>();
  }
  return run;
}

std::vector<Outcome> run_round(const FleetRun& run, const std::vector<Task>& tasks) {
  std::vector<Outcome> outcomes;
  const std::size_t batch = std::max<std::size_t>(1, run.deps.max_parallel);
  for (std::size_t start = 0; start < tasks.size(); start += batch) {
    const std::size_t end = std::min(tasks.size(), start + batch);
    std::vector<std::future<Result<Json>>> running;
    for (std::size_t i = start; i < end; ++i) {
      running.push_back(
          std::async(std::launch::async, [&run, &task = tasks[i]] { return run_task(run, task); }));
    }
    for (std::size_t i = start; i < end; ++i) {
      outcomes.push_back({tasks[i].member, tasks[i].input, running[i - start].get()});
    }
  }
  return outcomes;
}

Outcome run_one(const FleetRun& run, const config::FleetMember& member, const std::string& input) {
  return {&member, input, run_task(run, {&member, input})};
}

std::vector<Task> replicated(const std::vector<const config::FleetMember*>& members,
                             const std::string& input) {
  std::vector<Task> out;
  for (const auto* m : members) {
    for (int r = 0; r < std::max(1, m->replicas); ++r) out.push_back({m, input});
  }
  return out;
}

Status check_partial(const std::vector<Outcome>& outcomes, bool allow_partial) {
  const auto failed = std::find_if(outcomes.begin(), outcomes.end(),
                                   [](const Outcome& o) { return !o.result.ok(); });
  if (failed == outcomes.end()) return ok_status();
  if (!allow_partial) {
    return failed->result.error().with_context("allow_partial is false and member " +
                                               failed->member->name + " failed");
  }
  const bool any_ok =
      std::any_of(outcomes.begin(), outcomes.end(), [](const Outcome& o) { return o.result.ok(); });
  if (!any_ok) return failed->result.error();
  return ok_status();
}

const config::FleetMember* manager_of(const FleetRun& run) {
  const std::string named = run.coordination.value("manager", "");
  for (const auto* m : run.members) {
    if (named.empty() ? m->role == "manager" : m->name == named) return m;
  }
  return nullptr;
}

std::vector<const config::FleetMember*> members_except(const FleetRun& run,
                                                       const config::FleetMember* excluded) {
  std::vector<const config::FleetMember*> out;
  for (const auto* m : run.members) {
    if (m != excluded) out.push_back(m);
  }
  return out;
}

Result<std::string> ask(const FleetRun& run, const config::FleetMember& manager,
                        const std::string& prompt) {
  auto result = run.deps.run_agent(*manager.agent, prompt, run.deps.deadline);
  if (!result.ok()) return result.error().with_context("manager " + manager.name);
  return output_of(*result);
}

std::string output_of(const Json& result) {
  const auto it = result.find("output");
  return it != result.end() && it->is_string() ? it->get<std::string>() : "";
}

Json outcome_json(const Outcome& outcome, const char* text_key, const std::string& task) {
  Json out = {{"agent", outcome.member->name}};
  if (!task.empty()) out["task"] = task;
  if (!outcome.result.ok()) {
    out["error"] = outcome.result.error().message();
    return out;
  }
  const Json usage = outcome.result->value("usage", Json::object());
  out[text_key] = output_of(*outcome.result);
  out["input_tokens"] = usage.value("input_tokens", 0);
  out["output_tokens"] = usage.value("output_tokens", 0);
  return out;
}

std::string roster(const std::vector<const config::FleetMember*>& members) {
  std::string out;
  for (const auto* m : members) {
    const std::string& instructions = m->agent->instructions;
    std::string first = instructions.substr(0, instructions.find('\n'));
    if (first.size() > kRosterLine) {
      first.resize(kRosterLine);  // resize, not substr + "...": GCC 12 misreports that
      first += "...";
    }
    out += "- " + m->name + " (" + m->role + ")" + (first.empty() ? "" : ": " + first) + "\n";
  }
  return out;
}

}  // namespace aof::runtime::fleet
