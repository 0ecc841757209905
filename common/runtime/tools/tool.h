#pragma once
// The tool seam of the agent runtime (reference/aof-formats.md §4.3, §4.4): what the tool
// loop offers the model and calls. Built-in tools (shell, kubectl, files, http_request, ...)
// and MCP servers' tools implement Tool; tools_for_agent (tools/registry.h) picks an agent's.
// A call never throws: failures are a ToolResult with success=false and an error the model
// reads as text (AOF sent null; the model could not see why).

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/base/clock.h"

namespace aof::runtime::tools {

// What the model is told about a tool.
struct ToolSpec {
  std::string name;         // as exposed to the model: "shell", "kubectl", "read_file"
  std::string description;
  nlohmann::json parameters = nlohmann::json::object();  // JSON Schema of the arguments
};

// What a call produced; to_model_text() is what the model reads back.
struct ToolResult {
  bool success = false;
  nlohmann::json data;           // the output (stdout/stderr/exit_code, file text, ...)
  std::string error;             // why it failed, in words the model (and a human) can act on
  std::int64_t execution_time_ms = 0;
  bool changed_something = false;  // the call may have changed something (a write, a
                                   // non-GET request, a shell command), the run directory
                                   // included; the journal decides by has_outside_effect
};

// The JSON text sent back to the model: {"success", "data", "error"?}.
std::string to_model_text(const ToolResult& result);

// What every call gets from the run it belongs to.
struct ToolCallContext {
  std::filesystem::path run_dir;                 // per-run scratch directory; file tools
                                                 // are confined to it
  TimePoint deadline = TimePoint::max();         // the run's deadline; a call ends by it
  const std::atomic<bool>* cancelled = nullptr;  // set when the worker drains
  std::string event_id;                          // for logs
  // A flow's spec.context (flow/run_context.h), for the command tools (shell, CLI wrappers):
  // added to the child's environment; working_dir is the command's directory unless the
  // model asks for one inside the run directory. Empty = none (the run directory).
  std::map<std::string, std::string> env;
  std::filesystem::path working_dir;
};

class Tool {
 public:
  virtual ~Tool() = default;
  virtual const ToolSpec& spec() const = 0;
  // Runs one call with the model's `arguments` (already parsed JSON; validate them).
  // Thread-safe: several calls of one turn run concurrently.
  virtual ToolResult call(const nlohmann::json& arguments, const ToolCallContext& context) const = 0;
  // Whether a call with `arguments` may change something that outlives the run, asked before
  // the call: such calls are journaled for effect-once (DESIGN §5, agent/tool_journal.h), so
  // a redelivery reuses their result instead of repeating them. Changes confined to the run
  // directory do not count: a redelivery starts with a fresh one and must redo them. When in
  // doubt, true; reads, and calls that would be refused before running, false.
  virtual bool has_outside_effect(const nlohmann::json& /*arguments*/) const { return true; }
};

using ToolSet = std::vector<std::shared_ptr<const Tool>>;

}  // namespace aof::runtime::tools
