#pragma once
// Builders for AgentFlow structs in flow tests (the YAML loader is tested on its own).

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/config/resources.h"
#include "common/runtime/flow/flow_runner.h"

namespace aof::runtime::testing {

inline config::FlowNode node(const std::string& id, config::NodeType type) {
  config::FlowNode n;
  n.id = id;
  n.type = type;
  return n;
}

inline config::FlowNode script(const std::string& id, const std::string& command) {
  auto n = node(id, config::NodeType::kScript);
  n.config.script_config.emplace();
  n.config.script_config->command = command;
  return n;
}

inline config::Connection edge(const std::string& from, const std::string& to,
                               const std::string& when = "") {
  return config::Connection{from, to, when};
}

inline config::AgentFlow flow_of(std::vector<config::FlowNode> nodes,
                                 std::vector<config::Connection> connections = {}) {
  config::AgentFlow flow;
  flow.name = "test-flow";
  flow.nodes = std::move(nodes);
  flow.connections = std::move(connections);
  return flow;
}

inline Result<nlohmann::json> run(const config::AgentFlow& flow,
                                  const nlohmann::json& trigger = nlohmann::json::object(),
                                  FlowRunOptions options = {}) {
  if (options.run_id.empty()) options.run_id = "run-1";
  return run_flow(flow, trigger, options);
}

// A Script that appends its id to `log`, so tests can see what ran, in which order.
inline config::FlowNode logged(const std::string& id, const std::filesystem::path& log) {
  return script(id, "echo " + id + " >> '" + log.string() + "'");
}

// A file's whole text ("" when it does not exist).
inline std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The output object of node `id` from a run that must have succeeded.
inline nlohmann::json output_of(const Result<nlohmann::json>& result, const std::string& id) {
  if (!result.ok()) return {{"error", result.error().message()}};
  return result->at("node_results").value(id, nlohmann::json());
}

}  // namespace aof::runtime::testing
