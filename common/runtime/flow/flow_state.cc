#include "common/runtime/flow/flow_state.h"

namespace aof::runtime::flow {
namespace {

constexpr std::string_view kOutputSuffix = ".output";
constexpr std::string_view kResultSuffix = ".result";

const nlohmann::json* find(const std::map<std::string, nlohmann::json, std::less<>>& map,
                           std::string_view key) {
  const auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

// "build.output" with suffix ".output" → "build"; "" when `key` does not end that way.
std::string_view strip_suffix(std::string_view key, std::string_view suffix) {
  if (key.size() <= suffix.size() || !key.ends_with(suffix)) return {};
  return key.substr(0, key.size() - suffix.size());
}

}  // namespace

void FlowState::set_node_output(const std::string& id, nlohmann::json output) {
  outputs_[id] = std::move(output);
}

void FlowState::set_result(const std::string& id, bool result) {
  results_[id] = result;
  written_["results"][id] = result;
}

void FlowState::set_export(const std::string& name, std::string value) {
  written_["exports"][name] = value;
  exports_[name] = std::move(value);
}

nlohmann::json FlowState::writes() const {
  nlohmann::json out = written_;
  if (!out.contains("results")) out["results"] = nlohmann::json::object();
  if (!out.contains("exports")) out["exports"] = nlohmann::json::object();
  return out;
}

void FlowState::apply_writes(const nlohmann::json& writes) {
  if (!writes.is_object()) return;
  if (const auto results = writes.find("results"); results != writes.end() && results->is_object()) {
    for (const auto& [id, value] : results->items()) {
      if (value.is_boolean()) set_result(id, value.get<bool>());
    }
  }
  if (const auto exports = writes.find("exports"); exports != writes.end() && exports->is_object()) {
    for (const auto& [name, value] : exports->items()) {
      if (value.is_string()) set_export(name, value.get<std::string>());
    }
  }
}

void FlowState::merge_writes(const FlowState& other) {
  for (const auto& [id, result] : other.results_) results_[id] = result;
  for (const auto& [name, value] : other.exports_) exports_[name] = value;
}

const nlohmann::json* FlowState::node_output(std::string_view id) const {
  return find(outputs_, id);
}

const nlohmann::json* FlowState::lookup(std::string_view key) const {
  if (const auto* exported = find(exports_, key)) return exported;
  if (key == "trigger" || key == "event") return &trigger_data_;
  if (key == "context") return context_.is_null() ? nullptr : &context_;
  if (const auto id = strip_suffix(key, kOutputSuffix); !id.empty()) return find(outputs_, id);
  if (const auto id = strip_suffix(key, kResultSuffix); !id.empty()) return find(results_, id);
  return nullptr;
}

}  // namespace aof::runtime::flow
