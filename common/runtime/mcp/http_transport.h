#pragma once
// The streamable HTTP transport (MCP 2025-03-26; also what `transport: sse|http` means
// here): every message is POSTed to the endpoint with Accept: application/json,
// text/event-stream; the answer is either one JSON body or an SSE stream whose `data:`
// events carry JSON-RPC messages (the one with our id is the response; the server closes
// the stream after it). The Mcp-Session-Id the server sets on initialize is sent on every
// later request; a 404 to it means the session is gone (server restarted, expired), and
// the channel starts a new one (initialize replayed, initialized notified) and retries the
// request once. Each request is its own POST, so concurrent calls need no lock beyond the
// session's. Not spoken: the GET stream for server-initiated messages, and an SSE answer
// the server keeps open after the response (the POST then ends at its timeout).

#include <memory>
#include <string>

#include "common/base/http_client.h"
#include "common/runtime/mcp/transport.h"

namespace aof::runtime::mcp {

// `http` must outlive the channel. `timeout` caps each POST.
std::unique_ptr<Channel> make_http_channel(const std::string& server, std::string endpoint,
                                           const HttpClient& http, Millis timeout);

// The JSON-RPC messages in an SSE body, in order (each event's `data:` lines joined by
// '\n'); events whose data is not JSON are skipped. Exposed for tests.
std::vector<nlohmann::json> sse_messages(const std::string& body);

}  // namespace aof::runtime::mcp
