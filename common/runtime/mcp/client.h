#pragma once
// An MCP client for one server (reference/aof-formats.md §4.5, done as the spec says where
// AOF did not): `initialize` with protocol version 2024-11-05 (a server answering 2025-03-26
// is accepted too; anything else is refused), clientInfo {name: "aof-scale", version},
// initializationOptions when configured; then the `notifications/initialized` notification
// AOF never sent; then `tools/list`, following nextCursor through every page, keeping each
// tool's real inputSchema. `tools/call` results become text (content_text).
// Long-lived: started once per agent when the executor is built (as AOF), shared by every
// run and every concurrent call (thread-safe; ids come from an atomic counter and the
// channel multiplexes). Destroying the client ends the server (stdio: kills it).
// A stdio server that exited is started again (handshake included; the tool list of the
// first start stays) before the next call when config.auto_reconnect; the call that was
// running when it died fails and is not repeated (it may have had its effect).

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/base/http_client.h"
#include "common/runtime/mcp/server_config.h"
#include "common/runtime/mcp/transport.h"

namespace aof::runtime::mcp {

inline constexpr const char* kProtocolVersion = "2024-11-05";

struct RemoteTool {
  std::string name;  // as the server reports it
  std::string description;
  nlohmann::json input_schema;  // the server's inputSchema, forwarded to the model
  bool read_only = false;       // annotations.readOnlyHint: a call changes nothing
};

struct CallOutcome {
  bool is_error = false;  // the server's isError
  std::string text;       // content_text of the result
};

class McpClient {
 public:
  // Starts the server `config` describes (stdio: spawns it; http: through `http`, which must
  // outlive the client) and runs the handshake and tools/list within config.timeout each.
  // Errors: the channel's, a JSON-RPC error answer (kUnavailable), an unsupported protocol
  // version (kInvalidArgument); each message names the server.
  static Result<std::unique_ptr<McpClient>> start(const ServerConfig& config,
                                                  const HttpClient* http);
  // The same over a channel made elsewhere (tests).
  static Result<std::unique_ptr<McpClient>> connect(const ServerConfig& config,
                                                    std::unique_ptr<Channel> channel);

  const ServerConfig& config() const { return config_; }
  const std::string& protocol_version() const { return protocol_version_; }
  const std::vector<RemoteTool>& tools() const { return tools_; }  // after config.tool_filter

  // Calls `name` with `arguments`; waits until `deadline` or config.timeout, whichever is
  // sooner; on giving up (timeout, cancelled) sends notifications/cancelled for the call. A
  // JSON-RPC error answer is kInvalidArgument (the model sent bad arguments, say), with the
  // server's message.
  Result<CallOutcome> call_tool(const std::string& name, const nlohmann::json& arguments,
                                TimePoint deadline, const std::atomic<bool>* cancelled) const;

 private:
  using ChannelFactory = std::function<Result<std::unique_ptr<Channel>>()>;

  McpClient(ServerConfig config, std::unique_ptr<Channel> channel, ChannelFactory restart);
  static Result<std::unique_ptr<McpClient>> connect(const ServerConfig& config,
                                                    std::unique_ptr<Channel> channel,
                                                    ChannelFactory restart);
  Result<nlohmann::json> call(Channel& channel, const std::string& method, nlohmann::json params,
                              TimePoint deadline, const std::atomic<bool>* cancelled) const;
  void give_up(Channel& channel, const nlohmann::json& id, const Error& why) const;
  Result<std::string> handshake(Channel& channel) const;  // the server's protocol version
  Status list_tools();
  Result<std::shared_ptr<Channel>> live_channel() const;

  ServerConfig config_;
  ChannelFactory restart_;         // empty: never restarted (http, connect(), auto_reconnect off)
  mutable std::mutex restart_mu_;  // one restart at a time
  mutable std::mutex channel_mu_;
  mutable std::shared_ptr<Channel> channel_;  // guarded by channel_mu_
  mutable std::atomic<long long> next_id_{1};
  std::string protocol_version_;   // immutable after start
  std::vector<RemoteTool> tools_;  // immutable after start
};

// The text of a tools/call result: text blocks as they are, a resource's text, and a short
// "[image image/png]"-style placeholder for binary blocks, joined by newlines; when there is
// no content but structuredContent, its JSON.
std::string content_text(const nlohmann::json& result);

}  // namespace aof::runtime::mcp
