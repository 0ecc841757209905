#pragma once
// Which built-in tools an agent gets, decided from its tools entries before anything is built
// (a pure function, so the decision table is tested without processes). registry.h builds
// the tools from the plan.
//
// AOF's decision order (reference §4.4):
//  1. Any `type: Shell|MCP|HTTP` entry: Shell gives `shell` and, for each allowed_commands
//     entry naming a CLI wrapper (kubectl, helm, git, terraform, aws, docker), that wrapper;
//     HTTP gives http_request; MCP entries are skipped (MCP comes later). Named entries in the
//     same list are ignored, as AOF does.
//  2. Else a non-empty mcp_servers: AOF offers only MCP tools and ignores `tools`. MCP comes
//     later, so for now such an agent has no tools.
//  3. Else the named entries (`kubectl` or {name: kubectl}): bash and sh are `shell`, http is
//     http_request. A `source: mcp` entry sends AOF down a legacy MCP path without built-ins:
//     no tools either.
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

namespace aof::runtime::tools {

struct ToolPlan {
  std::vector<std::string> names;  // registry names, in first-seen order, no duplicates
  std::map<std::string, std::vector<std::string>> allowed_commands;  // by tool; absent: all
  std::vector<std::string> http_methods;  // http_request's allowed methods; empty: all
  std::vector<std::string> warnings;      // "agent pr-helper: tools[2]: unknown tool ..."
};

ToolPlan plan_tools(const config::Agent& agent);

// The built-in names tools_for_agent can build: shell, the CLI wrappers, the file tools and
// http_request.
const std::vector<std::string>& builtin_tool_names();

}  // namespace aof::runtime::tools
