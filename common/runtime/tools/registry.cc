#include "common/runtime/tools/registry.h"

#include <spdlog/spdlog.h>

#include "common/base/log.h"
#include "common/runtime/mcp/mcp_tools.h"
#include "common/runtime/tools/cli_tools.h"
#include "common/runtime/tools/file_tools.h"
#include "common/runtime/tools/http_tool.h"
#include "common/runtime/tools/shell_tool.h"
#include "common/runtime/tools/tool_plan.h"

namespace aof::runtime::tools {
namespace {

CommandAllowList allowed_for(const ToolPlan& plan, const std::string& name) {
  const auto it = plan.allowed_commands.find(name);
  return it == plan.allowed_commands.end() ? CommandAllowList() : CommandAllowList(it->second);
}

// The tool `name` (a builtin_tool_names() entry), or nullptr with a warning appended.
std::shared_ptr<const Tool> build(const std::string& name, const ToolPlan& plan,
                                  const ToolDeps& deps, const std::string& agent,
                                  std::vector<std::string>& warnings) {
  if (name == "shell") return make_shell_tool({allowed_for(plan, name)});
  if (name == "read_file") return make_read_file_tool();
  if (name == "write_file") return make_write_file_tool();
  if (name == "list_directory") return make_list_directory_tool();
  if (name == "search_files") return make_search_files_tool();
  if (name == "http_request") {
    if (deps.http != nullptr) return make_http_request_tool(*deps.http, {plan.http_methods});
    warnings.push_back("agent " + agent +
                       ": http_request skipped: the worker gave the tool registry no HTTP client");
    return nullptr;
  }
  return make_cli_tool(name, {allowed_for(plan, name), deps.program_path});
}

}  // namespace

ToolSet tools_for_agent(const config::Agent& agent, const ToolDeps& deps) {
  ToolSet tools;
  std::vector<std::string> warnings;
  try {
    ToolPlan plan = plan_tools(agent);
    warnings = std::move(plan.warnings);
    for (const auto& name : plan.names) {
      if (auto tool = build(name, plan, deps, agent.name, warnings))
        tools.push_back(std::move(tool));
    }
    std::vector<std::string> taken;
    for (const auto& tool : tools) taken.push_back(tool->spec().name);
    for (auto& tool :
         mcp::start_mcp_tools(plan.mcp_servers, deps.http, taken, agent.name, warnings))
      tools.push_back(std::move(tool));
  } catch (const std::exception& e) {
    warnings.push_back("agent " + agent.name + ": building tools failed: " + e.what());
  }
  const auto logger = log::get(log::Component::kRuntime);
  for (const auto& warning : warnings) logger->warn("{}", warning);
  return tools;
}

}  // namespace aof::runtime::tools
