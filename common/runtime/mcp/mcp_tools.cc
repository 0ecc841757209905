#include "common/runtime/mcp/mcp_tools.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <chrono>
#include <map>

#include "common/base/log.h"
#include "common/runtime/mcp/client.h"

namespace aof::runtime::mcp {
namespace {

using Json = nlohmann::json;

class McpTool final : public tools::Tool {
 public:
  McpTool(std::shared_ptr<const McpClient> client, const RemoteTool& remote, std::string exposed)
      : client_(std::move(client)), remote_name_(remote.name), read_only_(remote.read_only) {
    spec_.name = std::move(exposed);
    spec_.description = remote.description;
    spec_.parameters = remote.input_schema;
  }

  const tools::ToolSpec& spec() const override { return spec_; }

  // The server alone knows what its tool does: journaled unless it says readOnlyHint.
  bool has_outside_effect(const Json& /*arguments*/) const override { return !read_only_; }

  tools::ToolResult call(const Json& arguments,
                         const tools::ToolCallContext& context) const override {
    const auto started = std::chrono::steady_clock::now();
    tools::ToolResult result;
    result.changed_something = !read_only_;  // the server alone knows; trust its hint
    const Json args = arguments.is_null() ? Json::object() : arguments;
    auto outcome = client_->call_tool(remote_name_, args, context.deadline, context.cancelled);
    if (!outcome.ok()) {
      result.error = outcome.error().message();
    } else if (outcome->is_error) {
      result.error = outcome->text.empty() ? "the MCP tool reported an error" : outcome->text;
    } else {
      result.success = true;
      result.data = outcome->text;
    }
    result.execution_time_ms =
        std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - started).count();
    return result;
  }

 private:
  std::shared_ptr<const McpClient> client_;
  std::string remote_name_;
  bool read_only_;
  tools::ToolSpec spec_;
};

std::string safe_name(const std::string& server) {
  std::string name = server;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
  }
  return name;
}

}  // namespace

tools::ToolSet start_mcp_tools(const std::vector<ServerConfig>& servers, const HttpClient* http,
                               const std::vector<std::string>& taken, const std::string& agent,
                               std::vector<std::string>& warnings) {
  std::vector<std::shared_ptr<const McpClient>> clients;
  std::map<std::string, int> uses;  // tool name → how many servers and built-ins have it
  for (const auto& name : taken) ++uses[name];
  for (const auto& server : servers) {
    auto client = McpClient::start(server, http);
    if (!client.ok()) {
      warnings.push_back("agent " + agent + ": " + client.error().message() +
                         "; skipped, the agent runs without it");
      continue;
    }
    for (const auto& tool : (*client)->tools()) ++uses[tool.name];
    log::get(log::Component::kRuntime)
        ->info("agent {}: MCP server {} started (protocol {}, {} tools)", agent, server.name,
               (*client)->protocol_version(), (*client)->tools().size());
    clients.push_back(std::move(*client));
  }
  tools::ToolSet tools;
  for (const auto& client : clients) {
    for (const auto& remote : client->tools()) {
      std::string exposed = remote.name;
      if (uses[remote.name] > 1) exposed = safe_name(client->config().name) + "__" + remote.name;
      tools.push_back(std::make_shared<McpTool>(client, remote, std::move(exposed)));
    }
  }
  return tools;
}

}  // namespace aof::runtime::mcp
