#include "common/runtime/mcp/client.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/base/log.h"
#include "common/runtime/mcp/http_transport.h"
#include "common/runtime/mcp/stdio_transport.h"

namespace aof::runtime::mcp {
namespace {

using Json = nlohmann::json;

constexpr const char* kClientVersion = "0.1.0";
constexpr int kMaxPages = 100;  // a server whose cursors never end is not followed forever

TimePoint sooner(TimePoint deadline, Millis timeout) {
  return std::min(deadline, std::chrono::system_clock::now() + timeout);
}

std::string block_text(const Json& block) {
  const std::string type = block.value("type", "");
  if (type == "text") return block.value("text", "");
  if (type == "resource" && block.contains("resource")) {
    const Json& resource = block["resource"];
    if (resource.contains("text") && resource["text"].is_string()) {
      return resource["text"].get<std::string>();
    }
    return "[resource " + resource.value("uri", "") + "]";
  }
  if (type == "resource_link") return "[resource " + block.value("uri", "") + "]";
  return "[" + type + " " + block.value("mimeType", "") + "]";
}

RemoteTool remote_tool(const Json& entry) {
  RemoteTool tool;
  tool.name = entry.value("name", "");
  tool.description = entry.contains("description") && entry["description"].is_string()
                         ? entry["description"].get<std::string>()
                         : "MCP tool " + tool.name;
  tool.input_schema = entry.contains("inputSchema") && entry["inputSchema"].is_object()
                          ? entry["inputSchema"]
                          : Json{{"type", "object"}};
  if (entry.contains("annotations") && entry["annotations"].is_object()) {
    tool.read_only = entry["annotations"].value("readOnlyHint", false);
  }
  return tool;
}

bool wanted(const ServerConfig& config, const std::string& name) {
  const auto& filter = config.tool_filter;
  return filter.empty() || std::find(filter.begin(), filter.end(), name) != filter.end();
}

}  // namespace

McpClient::McpClient(ServerConfig config, std::unique_ptr<Channel> channel, ChannelFactory restart)
    : config_(std::move(config)), restart_(std::move(restart)), channel_(std::move(channel)) {}

Result<std::unique_ptr<McpClient>> McpClient::start(const ServerConfig& config,
                                                    const HttpClient* http) {
  if (config.transport == Transport::kStdio) {
    ChannelFactory start = [config]() -> Result<std::unique_ptr<Channel>> {
      auto channel = start_stdio_channel(config.name, config.argv, config.env);
      if (!channel.ok()) return channel.error().with_context("MCP server " + config.name);
      return channel;
    };
    auto channel = start();
    if (!channel.ok()) return channel.error();
    return connect(config, std::move(*channel), config.auto_reconnect ? start : nullptr);
  }
  if (http == nullptr) {
    return Error(ErrorCode::kInvalidArgument,
                 "MCP server " + config.name + ": no HTTP client for transport http");
  }
  return connect(config, make_http_channel(config.name, config.endpoint, *http, config.timeout),
                 nullptr);
}

Result<std::unique_ptr<McpClient>> McpClient::connect(const ServerConfig& config,
                                                      std::unique_ptr<Channel> channel) {
  return connect(config, std::move(channel), nullptr);
}

Result<std::unique_ptr<McpClient>> McpClient::connect(const ServerConfig& config,
                                                      std::unique_ptr<Channel> channel,
                                                      ChannelFactory restart) {
  std::unique_ptr<McpClient> client(new McpClient(config, std::move(channel), std::move(restart)));
  auto version = client->handshake(*client->channel_);
  if (!version.ok()) return version.error();
  client->protocol_version_ = std::move(*version);
  if (auto status = client->list_tools(); !status.ok()) return status.error();
  return client;
}

// The channel to call on: the current one or, when a stdio server has exited and may be
// restarted, a new one after its handshake.
Result<std::shared_ptr<Channel>> McpClient::live_channel() const {
  std::shared_ptr<Channel> current;
  {
    std::lock_guard lock(channel_mu_);
    current = channel_;
  }
  if (current->alive() || !restart_) return current;
  std::lock_guard restarting(restart_mu_);
  {
    std::lock_guard lock(channel_mu_);
    if (channel_ != current) return channel_;  // another call restarted it meanwhile
  }
  auto fresh = restart_();
  if (!fresh.ok()) return fresh.error().with_context("restarting");
  std::shared_ptr<Channel> channel = std::move(*fresh);
  if (auto version = handshake(*channel); !version.ok()) {
    return version.error().with_context("restarting");
  }
  log::get(log::Component::kRuntime)->warn("MCP server {} had exited; started again", config_.name);
  std::lock_guard lock(channel_mu_);
  channel_ = channel;
  return channel;
}

Result<Json> McpClient::call(Channel& channel, const std::string& method, Json params,
                             TimePoint deadline, const std::atomic<bool>* cancelled) const {
  Json message = {{"jsonrpc", "2.0"}, {"id", next_id_++}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  auto answer = channel.request(message, sooner(deadline, config_.timeout), cancelled);
  const std::string where = "MCP server " + config_.name + ": " + method;
  if (!answer.ok()) {
    give_up(channel, message["id"], answer.error());
    return answer.error().with_context(where);
  }
  if (answer->contains("error")) {
    const Json& error = (*answer)["error"];
    const std::string text =
        error.is_object() ? error.value("message", error.dump()) : error.dump();
    return Error(ErrorCode::kInvalidArgument, where + ": " + text);
  }
  if (!answer->contains("result")) {
    return Error(ErrorCode::kInvalidArgument, where + ": an answer without a result");
  }
  return (*answer)["result"];
}

// Tells the server we stopped waiting for request `id` (the spec's notifications/cancelled),
// so it can stop the work; best effort, never waited on. Not for a server that is gone.
void McpClient::give_up(Channel& channel, const Json& id, const Error& why) const {
  if (why.code() != ErrorCode::kTimeout && why.message() != "cancelled") return;
  const Json notice = {{"jsonrpc", "2.0"},
                       {"method", "notifications/cancelled"},
                       {"params", {{"requestId", id}, {"reason", why.message()}}}};
  (void)channel.notify(notice, sooner(TimePoint::max(), config_.timeout));
}

Result<std::string> McpClient::handshake(Channel& channel) const {
  Json params = {{"protocolVersion", kProtocolVersion},
                 {"capabilities", Json::object()},
                 {"clientInfo", {{"name", "aof-scale"}, {"version", kClientVersion}}}};
  if (!config_.init_options.is_null()) params["initializationOptions"] = config_.init_options;
  auto result = call(channel, "initialize", std::move(params), TimePoint::max(), nullptr);
  if (!result.ok()) return result.error();
  std::string version = result->value("protocolVersion", "");
  if (version != "2024-11-05" && version != "2025-03-26") {
    return Error(
        ErrorCode::kInvalidArgument,
        "MCP server " + config_.name + ": unsupported protocol version \"" + version + "\"");
  }
  const Json initialized = {{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}};
  auto sent = channel.notify(initialized, sooner(TimePoint::max(), config_.timeout));
  if (!sent.ok()) return sent.error().with_context("MCP server " + config_.name);
  return version;
}

Status McpClient::list_tools() {
  Json cursor;
  for (int page = 0; page < kMaxPages; ++page) {
    Json params = cursor.is_null() ? Json::object() : Json{{"cursor", cursor}};
    auto result = call(*channel_, "tools/list", std::move(params), TimePoint::max(), nullptr);
    if (!result.ok()) return result.error();
    for (const auto& entry : result->value("tools", Json::array())) {
      RemoteTool tool = remote_tool(entry);
      if (!tool.name.empty() && wanted(config_, tool.name)) tools_.push_back(std::move(tool));
    }
    if (!result->contains("nextCursor") || (*result)["nextCursor"].is_null()) break;
    cursor = (*result)["nextCursor"];
  }
  return ok_status();
}

Result<CallOutcome> McpClient::call_tool(const std::string& name, const Json& arguments,
                                         TimePoint deadline,
                                         const std::atomic<bool>* cancelled) const {
  auto channel = live_channel();
  if (!channel.ok()) return channel.error().with_context("MCP server " + config_.name);
  auto result = call(**channel, "tools/call", {{"name", name}, {"arguments", arguments}}, deadline,
                     cancelled);
  if (!result.ok()) return result.error();
  return CallOutcome{result->value("isError", false), content_text(*result)};
}

std::string content_text(const Json& result) {
  std::string text;
  if (result.contains("content") && result["content"].is_array()) {
    for (const auto& block : result["content"]) {
      if (!block.is_object()) continue;
      text += (text.empty() ? "" : "\n") + block_text(block);
    }
  }
  if (text.empty() && result.contains("structuredContent")) {
    text = result["structuredContent"].dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  return text;
}

}  // namespace aof::runtime::mcp
