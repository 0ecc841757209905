#pragma once
// An agent's tools: tool_plan.h decides which (AOF's order, reference §4.4, and the
// allow-lists), this builds the built-ins, starts the MCP servers (mcp/mcp_tools.h: their
// tools come after the built-ins; a server that fails is skipped) and logs the warnings on
// the runtime logger, once per call: call it when an agent is loaded, not per event. The
// MCP servers live as long as the returned tools.

#include <string>

#include "common/base/http_client.h"
#include "common/config/resources.h"
#include "common/runtime/tools/tool.h"

namespace aof::runtime::tools {

struct ToolDeps {
  const HttpClient* http = nullptr;  // for http_request and MCP servers over HTTP, which keep
                                     // a reference: must outlive the tools. Null: those are
                                     // skipped with a warning
  std::string program_path;          // where the CLI wrappers find their programs, as $PATH;
                                     // "" = the worker's $PATH at each call
};

// The tools in the plan's order. Never throws.
ToolSet tools_for_agent(const config::Agent& agent, const ToolDeps& deps);

}  // namespace aof::runtime::tools
