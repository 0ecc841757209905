#pragma once
// The variables of one flow run (reference §6.1): the trigger data (`trigger`, `event`),
// the flow's spec.context as written (`context`: {kubeconfig, namespace, cluster, workingDir,
// env}; AOF's examples write `${context.namespace}`, which AOF never expands), finished
// nodes' outputs (`<id>.output`), Conditional results (`<id>.result`) and names exported by
// Transform nodes. Owned by one run; not shared between threads: the nodes of a wave that
// run at once each get a copy, and their writes are merged back in wave order.

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>

namespace aof::runtime::flow {

class FlowState {
 public:
  explicit FlowState(nlohmann::json trigger_data) : trigger_data_(std::move(trigger_data)) {}

  const nlohmann::json& trigger_data() const { return trigger_data_; }

  void set_context(nlohmann::json context) { context_ = std::move(context); }
  void set_node_output(const std::string& id, nlohmann::json output);
  void set_result(const std::string& id, bool result);
  void set_export(const std::string& name, std::string value);

  // The value of the variable named exactly `key` ("event", "context", "build.output",
  // "ok.result", an exported name), or nullptr. Exports shadow the others, as AOF's single variable map
  // lets a later `export` overwrite any key.
  const nlohmann::json* lookup(std::string_view key) const;

  const nlohmann::json* node_output(std::string_view id) const;

  // Takes the Conditional results and exports `other` (a copy this state was the source of)
  // wrote; later merges win, as later writes do in a sequential run.
  void merge_writes(const FlowState& other);

  // What this state's Conditional results and exports became since it was made or since the
  // last clear_writes(): {"results": {id: bool}, "exports": {name: text}} (checkpoints.h keeps
  // it per node); apply_writes() sets them again on another run's state.
  nlohmann::json writes() const;
  void clear_writes() { written_ = nlohmann::json::object(); }
  void apply_writes(const nlohmann::json& writes);
  const std::map<std::string, nlohmann::json, std::less<>>& exports() const { return exports_; }

 private:
  nlohmann::json trigger_data_;
  nlohmann::json context_;  // null: the flow has no spec.context
  std::map<std::string, nlohmann::json, std::less<>> outputs_;  // by node id
  std::map<std::string, nlohmann::json, std::less<>> results_;  // by node id (booleans)
  std::map<std::string, nlohmann::json, std::less<>> exports_;  // by name (strings)
  nlohmann::json written_ = nlohmann::json::object();           // see writes()
};

}  // namespace aof::runtime::flow
