#pragma once
// Fleets built in code and agents that answer from a script, for the fleet tests: each
// agent's answers by name, every input recorded.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common/runtime/fleet/fleet_runner.h"

namespace aof::runtime::fleet::testing {

using Json = nlohmann::json;

inline config::AgentFleet fleet_of(std::vector<std::pair<std::string, int>> members,
                                   Json coordination) {
  config::AgentFleet fleet;
  fleet.name = "f";
  for (const auto& [name, tier] : members) {
    config::FleetMember m;
    m.name = name;
    m.tier = tier;
    config::Agent agent;
    agent.name = name;
    agent.model = "openai:gpt-4o-mini";
    m.agent = agent;
    fleet.agents.push_back(m);
  }
  fleet.coordination = std::move(coordination);
  return fleet;
}

// Each agent answers from `answers` by name, recording the inputs it got; an agent with a
// list in `scripts` answers from it in order (the last one repeating), as a model would
// answer a manager's successive prompts.
struct ScriptedAgents {
  std::map<std::string, std::string> answers;
  std::map<std::string, std::vector<std::string>> scripts;
  std::mutex mu;
  std::vector<std::pair<std::string, std::string>> calls;  // guarded by mu
  std::map<std::string, int> asked;                        // guarded by mu
  FleetRunDeps deps() {
    FleetRunDeps d;
    d.run_agent = [this](const config::Agent& agent, const std::string& input,
                         TimePoint) -> Result<Json> {
      std::lock_guard lock(mu);
      calls.emplace_back(agent.name, input);
      const int n = asked[agent.name]++;
      if (const auto script = scripts.find(agent.name); script != scripts.end()) {
        const auto& lines = script->second;
        return Json{{"output", lines[std::min<std::size_t>(n, lines.size() - 1)]}};
      }
      const auto it = answers.find(agent.name);
      if (it == answers.end()) return Error(ErrorCode::kUnavailable, agent.name + ": 503");
      return Json{{"output", it->second}, {"usage", {{"input_tokens", 3}, {"output_tokens", 1}}}};
    };
    return d;
  }
  std::vector<std::string> inputs_of(const std::string& name) {
    std::lock_guard lock(mu);
    std::vector<std::string> out;
    for (const auto& [agent, input] : calls) {
      if (agent == name) out.push_back(input);
    }
    return out;
  }
};

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Members (name, role) at tier 1, in this order.
inline config::AgentFleet fleet_with_roles(std::vector<std::pair<std::string, std::string>> members,
                                           Json coordination) {
  std::vector<std::pair<std::string, int>> names;
  for (const auto& m : members) names.emplace_back(m.first, 1);
  config::AgentFleet fleet = fleet_of(names, std::move(coordination));
  for (std::size_t i = 0; i < members.size(); ++i) {
    fleet.agents[i].role = members[i].second;
    fleet.agents[i].agent->instructions = "You are " + members[i].first + ".\nMore detail.";
  }
  return fleet;
}

}  // namespace aof::runtime::fleet::testing
