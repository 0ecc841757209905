#pragma once
// One MCP server an agent uses (reference/aof-formats.md §1.1, §4.5), parsed from an
// `mcp_servers` entry or a `type: MCP` tools entry. Pure parsing: nothing is started here
// (client.h starts it), so tool_plan.h can decide an agent's tools without processes.

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/base/result.h"

namespace aof::runtime::mcp {

enum class Transport { kStdio, kHttp };

struct ServerConfig {
  std::string name;                         // for logs and to prefix clashing tool names
  Transport transport = Transport::kStdio;  // `transport`: stdio (default); http and sse
                                            // both mean streamable HTTP
  std::vector<std::string> argv;            // stdio: `command` + `args`; argv[0] is looked
                                            // up on $PATH
  std::map<std::string, std::string> env;   // stdio: added to the worker's environment
  std::string endpoint;                     // http: the URL JSON-RPC is POSTed to
  std::vector<std::string> tool_filter;     // `tools`: only these are offered; empty = all
  nlohmann::json init_options;              // sent as initializationOptions; null = none
  Millis timeout{30'000};                   // per request (`timeout_secs`, AOF's 30)
  bool auto_reconnect = true;  // `auto_reconnect`: a stdio server that exited is started
                               // again before the next call
};

// An `mcp_servers` entry: {name, transport, command, args, env, endpoint, tools,
// init_options, timeout_secs}. kInvalidArgument names the field at fault.
Result<ServerConfig> parse_mcp_servers_entry(const nlohmann::json& entry);

// A `type: MCP` tools entry's `config`: {name, command (string split on spaces, or argv
// list), env, timeout_seconds}. Always stdio, as in AOF.
Result<ServerConfig> parse_mcp_tool_entry(const nlohmann::json& config);

}  // namespace aof::runtime::mcp
