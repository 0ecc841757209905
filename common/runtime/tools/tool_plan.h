#pragma once
// Which tools an agent gets, decided from its tools entries before anything is built or
// started (a pure function, so the decision table is tested without processes). registry.h
// builds the tools and starts the MCP servers from the plan.
//
// AOF's decision order (reference §4.4):
//  1. Any `type: Shell|MCP|HTTP` entry: Shell gives `shell` and, for each allowed_commands
//     entry naming a CLI wrapper (kubectl, helm, git, terraform, aws, docker), that wrapper;
//     HTTP gives http_request; MCP gives an MCP server (its config: name, command, env,
//     timeout_seconds), and every mcp_servers entry is one too, after them. Named entries in
//     the same list are ignored, as AOF does.
//  2. Else a non-empty mcp_servers: AOF offers only MCP tools and ignores `tools`: so here.
//  3. Else the named entries (`kubectl` or {name: kubectl}): bash and sh are `shell`, http is
//     http_request. A `source: mcp` entry sends AOF down a legacy path that spawns a fixed
//     `smoke-test-mcp` binary without built-ins: not supported, so no tools, with a warning.
// A malformed MCP server entry is skipped with a warning naming the field.
// Unknown names, and AOF built-ins this worker does not provide (prometheus_query, the
// legacy kubectl_get, ...), are skipped. Everything ignored or skipped gets a warning naming
// the agent and the entry, never silence.
//
// Beyond AOF, which reads no per-tool config: allowed_commands is enforced (command_policy.h)
// on Shell entries and on named shell/bash/sh and wrapper entries (also spelt
// allowedCommands, as in AOF's CRD examples); a wrapper added from a Shell entry gets that
// entry's lines for its program, so it can run exactly what the shell could with it
// ("kubectl get pods" in the list gives a kubectl that only gets pods). HTTP entries'
// allowed_methods restrict http_request. `enabled: false` drops an entry. Several entries
// for one tool add their lists up; one without a list allows everything. A malformed list
// (not a list of strings) drops the tool rather than lift the restriction.

#include <map>
#include <string>
#include <vector>

#include "common/config/resources.h"
#include "common/runtime/mcp/server_config.h"

namespace aof::runtime::tools {

struct ToolPlan {
  std::vector<std::string> names;  // registry names, in first-seen order, no duplicates
  std::map<std::string, std::vector<std::string>> allowed_commands;  // by tool; absent: all
  std::vector<std::string> http_methods;       // http_request's allowed methods; empty: all
  std::vector<std::string> warnings;           // "agent pr-helper: tools[2]: unknown tool ..."
  std::vector<mcp::ServerConfig> mcp_servers;  // to start, in order (mcp/mcp_tools.h)
};

ToolPlan plan_tools(const config::Agent& agent);

// The built-in names tools_for_agent can build: shell, the CLI wrappers, the file tools and
// http_request.
const std::vector<std::string>& builtin_tool_names();

}  // namespace aof::runtime::tools
