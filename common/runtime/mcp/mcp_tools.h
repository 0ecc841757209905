#pragma once
// An agent's MCP servers as tools::Tool objects: each server is started (client.h) and each
// tool it lists becomes one Tool offered to the model with the server's own description
// and inputSchema (AOF sent "MCP tool: <name>" and an empty schema).
//
// Names: as the server reports them. A name reported by two servers, or equal to one of the
// agent's built-in tools, is offered as "<server>__<name>" instead (on every server that
// has it, so no server silently wins; the server name reduced to [A-Za-z0-9_-], as the
// providers require); the server is still called with its own name.
// A server that fails to start (spawn, handshake, tools/list) is skipped with a warning and
// the agent runs without it, as AOF.
// Effect-once: every call is journaled (tools::Tool::has_outside_effect) unless the server
// annotated the tool readOnlyHint: true.
// Lifetime: each Tool shares its server's client; the server ends when the last of its
// tools is destroyed (the executor that built them is replaced, or the worker ends).

#include <string>
#include <vector>

#include "common/base/http_client.h"
#include "common/runtime/mcp/server_config.h"
#include "common/runtime/tools/tool.h"

namespace aof::runtime::mcp {

// Starts `servers` in order; `taken` are the names already in the agent's tool set. Appends
// one warning per server skipped to `warnings`, naming `agent`. `http` (may be null: http
// servers are then skipped) must outlive the tools.
tools::ToolSet start_mcp_tools(const std::vector<ServerConfig>& servers, const HttpClient* http,
                               const std::vector<std::string>& taken, const std::string& agent,
                               std::vector<std::string>& warnings);

}  // namespace aof::runtime::mcp
