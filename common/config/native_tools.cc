#include "common/config/native_tools.h"

#include <algorithm>

namespace aof::config {
namespace {

const std::vector<NativeToolAction>& table() {
  static const std::vector<NativeToolAction> kActions = {
      {"docker", "ps", {}},
      {"docker", "logs", {"container"}},
      {"docker", "inspect", {"container"}},
      {"docker", "stats", {}},
      {"kubectl", "get", {"resource"}},
      {"kubectl", "logs", {"pod"}},
      {"kubectl", "describe", {"resource"}},
      {"http", "get", {"url"}},
      {"http", "post", {"url"}},
      {"http", "put", {"url"}},
      {"http", "patch", {"url"}},
      {"http", "delete", {"url"}},
      {"http", "head", {"url"}},
      {"json", "parse", {"input"}},
      {"json", "extract", {"from", "path"}},
      {"json", "merge", {"sources"}},
      {"file", "read", {"path"}},
      {"file", "write", {"path", "content"}},
      {"file", "exists", {"path"}},
      {"file", "list", {"path"}},
  };
  return kActions;
}

}  // namespace

std::vector<std::string_view> native_tool_actions(std::string_view tool) {
  std::vector<std::string_view> actions;
  for (const auto& entry : table()) {
    if (entry.tool == tool) actions.push_back(entry.action);
  }
  return actions;
}

const NativeToolAction* find_native_tool_action(std::string_view tool, std::string_view action) {
  const auto& all = table();
  const auto it = std::find_if(all.begin(), all.end(), [&](const NativeToolAction& entry) {
    return entry.tool == tool && entry.action == action;
  });
  return it == all.end() ? nullptr : &*it;
}

}  // namespace aof::config
