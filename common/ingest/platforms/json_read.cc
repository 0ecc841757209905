#include "common/ingest/platforms/json_read.h"

#include "common/ingest/envelope_parts.h"

namespace aof::ingest {
namespace {

const nlohmann::json& null_json() {
  static const nlohmann::json kNull;
  return kNull;
}

}  // namespace

const nlohmann::json& node_at(const nlohmann::json& root, std::initializer_list<const char*> path) {
  const nlohmann::json* at = &root;
  for (const char* key : path) {
    if (!at->is_object()) return null_json();
    const auto it = at->find(key);
    if (it == at->end()) return null_json();
    at = &*it;
  }
  return *at;
}

std::string text_at(const nlohmann::json& root, std::initializer_list<const char*> path) {
  const nlohmann::json& value = node_at(root, path);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  if (value.is_number_unsigned()) return std::to_string(value.get<std::uint64_t>());
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return "";
}

nlohmann::json scalar_at(const nlohmann::json& root, std::initializer_list<const char*> path) {
  const nlohmann::json& value = node_at(root, path);
  if (value.is_string()) return bounded_text(value.get_ref<const std::string&>());
  if (value.is_number() || value.is_boolean()) return value;
  return nullptr;
}

nlohmann::json strings_at(const nlohmann::json& root, std::initializer_list<const char*> path,
                          std::size_t max_items) {
  nlohmann::json out = nlohmann::json::array();
  const nlohmann::json& list = node_at(root, path);
  if (!list.is_array()) return out;
  for (const nlohmann::json& item : list) {
    if (out.size() == max_items) break;
    if (item.is_string()) out.push_back(bounded_text(item.get_ref<const std::string&>()));
  }
  return out;
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace aof::ingest
