#pragma once
// How JSON-RPC 2.0 messages reach one MCP server: stdio (stdio_transport.h) or streamable
// HTTP (http_transport.h). The client (client.h) builds the messages and picks the ids; a
// transport only carries them and matches a response to its request by id.
// Thread-safe: several requests may be in flight at once (the calls of one turn).

#include <nlohmann/json.hpp>

#include <atomic>

#include "common/base/clock.h"
#include "common/base/result.h"

namespace aof::runtime::mcp {

class Channel {
 public:
  virtual ~Channel() = default;
  // Sends `message` (a request with an "id") and returns the server's response object with
  // that id ({"result"} or {"error"}; the caller reads which). Errors: kTimeout (deadline
  // passed), kUnavailable (server gone, cancelled, transport failure), kInvalidArgument
  // (an answer that is not JSON-RPC).
  virtual Result<nlohmann::json> request(const nlohmann::json& message, TimePoint deadline,
                                         const std::atomic<bool>* cancelled) = 0;
  // Sends a notification (no "id"; no answer expected).
  virtual Status notify(const nlohmann::json& message, TimePoint deadline) = 0;
  // False once the server is known gone (a stdio server exited); HTTP is always "alive".
  virtual bool alive() const { return true; }
};

}  // namespace aof::runtime::mcp
