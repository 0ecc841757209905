#pragma once
// Private to the native tools (native_tools.h): what one action gets, what it returns, and
// the readers of its `args` with their messages. One file per kind of tool implements the
// actions: program_tools.cc (docker, kubectl), http_tool.cc, data_tools.cc (json, file).

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/http_client.h"
#include "common/base/result.h"
#include "common/runtime/flow/process.h"

namespace aof::runtime::flow {

struct ToolCall {
  std::string action;
  nlohmann::json args;                 // expanded; an object
  ProcessSpec process;                 // env, directory and limits; argv/command unset
  const HttpClient* http = nullptr;    // null: http actions fail (permanently)
  std::size_t max_output_bytes = 1u << 20;
};

// What an action did. `failure` empty: it worked and `output` is its result. Otherwise it
// ran and failed, `failure` says how, and `output` holds what is known.
struct ToolOutcome {
  nlohmann::json output = nlohmann::json::object();
  std::string failure;
};

// Errors of these: wrong args or an impossible call (kInvalidArgument), and what stops a
// program or request from finishing (kTimeout, kUnavailable when cancelled).
Result<ToolOutcome> run_docker(const ToolCall& call);
Result<ToolOutcome> run_kubectl(const ToolCall& call);
Result<ToolOutcome> run_http_tool(const ToolCall& call);
Result<ToolOutcome> run_json_tool(const ToolCall& call);
Result<ToolOutcome> run_file_tool(const ToolCall& call);

// Argument readers; errors are kInvalidArgument naming the arg ("args.tail must be a whole
// number from 1 to 100000"). Numbers and booleans written as strings (what a template
// gives) are accepted.
// A string; "" when absent and not `required`.
Result<std::string> text_arg(const ToolCall& call, std::string_view name, bool required);
// A name handed to a program as an argument: as text_arg, and not starting with '-' (it
// would be read as an option).
Result<std::string> name_arg(const ToolCall& call, std::string_view name, bool required);
Result<std::int64_t> count_arg(const ToolCall& call, std::string_view name,
                               std::int64_t fallback, std::int64_t max);
Result<bool> flag_arg(const ToolCall& call, std::string_view name, bool fallback);

}  // namespace aof::runtime::flow
