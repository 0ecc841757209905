#pragma once
// The boundary every built-in tool shares, so each tool's file holds only what the tool does.
// make_tool() wraps a run function. Before it runs, the model's arguments are checked against
// the spec's own JSON Schema, the one the model was shown, so the rules it reads and the
// rules it meets cannot drift apart: an object, no unknown names (a misspelt "timeout" is
// refused, not ignored), the required ones present, each of its declared type, integers
// within minimum/maximum, strings within enum. A null member counts as absent (models send
// "working_dir": null). After it runs, execution_time_ms is set; an exception becomes an
// error result, so Tool::call never throws.

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>

#include "common/base/result.h"
#include "common/runtime/tools/tool.h"

namespace aof::runtime::tools {

using Json = nlohmann::json;

// Gets arguments that passed check_arguments (nulls removed). Thread-safe (calls of one turn
// run concurrently).
using RunFunction = std::function<ToolResult(const Json& arguments, const ToolCallContext&)>;

// Tool::has_outside_effect for arguments that passed check_arguments. Arguments that do not
// pass never reach the run function, so such a call has no effect at all.
using EffectTest = std::function<bool(const Json& arguments)>;

// `effect` empty: every call that passes the check has an outside effect.
std::shared_ptr<const Tool> make_tool(ToolSpec spec, RunFunction run, EffectTest effect = {});

// The EffectTest of tools that only read (read_file, list_directory, search_files) or whose
// writes stay in the run directory (write_file).
inline bool no_outside_effect(const Json& /*arguments*/) { return false; }

// `arguments` without null members, or kInvalidArgument naming the argument and the rule:
// `missing required argument "command"`, `argument "timeout_secs" must be an integer, got
// "30"`. The schema understands what our specs use: type (string, integer, boolean, object,
// array), minimum, maximum, enum, required; a property without a type takes any JSON.
Result<Json> check_arguments(const ToolSpec& spec, const Json& arguments);

// A failed call: success=false, `error` in words the model (and a human) can act on.
ToolResult failure(std::string error, bool changed_something = false);

}  // namespace aof::runtime::tools
