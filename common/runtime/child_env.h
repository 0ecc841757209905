#pragma once
// What posix_spawn needs for a child: the worker's environment with additions (the child's
// only; the worker never calls setenv), and NUL-terminated pointer arrays over strings.
// Shared by Script nodes and tools (flow/process.cc) and stdio MCP servers
// (mcp/stdio_transport.cc).

#include <map>
#include <string>
#include <vector>

namespace aof::runtime {

// The process environment as "NAME=value" entries, `extra` overriding and added.
std::vector<std::string> child_environment(const std::map<std::string, std::string>& extra);

// argv/envp for posix_spawn: pointers into `strings` (which must outlive them), then null.
std::vector<char*> spawn_pointers(std::vector<std::string>& strings);

}  // namespace aof::runtime
