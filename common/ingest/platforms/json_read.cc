#include "common/ingest/platforms/json_read.h"

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

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace aof::ingest
