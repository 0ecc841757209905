#pragma once
// The native tools of Script nodes (`scriptConfig.tool`, reference §6.3): which actions each
// has and which `args` each action needs. The flow loader checks a node against this table
// (an unknown action or a missing argument is a load error with file:line, where AOF fails at
// run time); the runtime (runtime/flow/native_tools.h) implements the same table.

#include <string>
#include <string_view>
#include <vector>

namespace aof::config {

struct NativeToolAction {
  std::string_view tool;                     // docker, kubectl, http, json, file
  std::string_view action;                   // ps, get, post, extract, read, ...
  std::vector<std::string_view> required;    // args the action cannot run without
};

// The actions of `tool`, in the order they are documented ("" tool → none).
std::vector<std::string_view> native_tool_actions(std::string_view tool);

// The entry for (tool, action), or nullptr when the tool has no such action.
const NativeToolAction* find_native_tool_action(std::string_view tool, std::string_view action);

}  // namespace aof::config
