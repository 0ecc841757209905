// Streamable HTTP against a loopback MCP server: JSON and SSE answers, the session id kept,
// the handshake order, a call round-trip.
#include "common/runtime/mcp/http_transport.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <mutex>
#include <thread>

#include "common/runtime/mcp/client.h"
#include "sidecar/httplib_client.h"

namespace aof::runtime::mcp {
namespace {

using Json = nlohmann::json;
using Lines = std::vector<std::string>;

// A streamable-HTTP MCP server with one tool, "echo"; tools/list answers as an SSE stream
// with a notification before the response. Records "<method> session=<Mcp-Session-Id>".
class LoopbackMcpServer {
 public:
  LoopbackMcpServer() {
    server_.Post("/mcp",
                 [this](const httplib::Request& req, httplib::Response& res) { answer(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 10000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~LoopbackMcpServer() {
    server_.stop();
    thread_.join();
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_) + "/mcp"; }
  Lines seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }
  // As a restarted server: the sessions handed out so far are unknown from now on.
  void forget_sessions() {
    std::lock_guard lock(mu_);
    valid_session_ = "none";
  }

 private:
  void answer(const httplib::Request& req, httplib::Response& res) {
    const Json message = Json::parse(req.body);
    const std::string method = message.value("method", "");
    const std::string session = req.get_header_value("Mcp-Session-Id");
    {
      std::lock_guard lock(mu_);
      seen_.push_back(method + " session=" + session);
      if (method != "initialize" && session != valid_session_) {
        res.status = 404;
        return;
      }
    }
    if (!message.contains("id")) {
      res.status = 202;
      return;
    }
    Json reply = {{"jsonrpc", "2.0"}, {"id", message["id"]}};
    if (method == "initialize") {
      reply["result"] = {{"protocolVersion", "2025-03-26"}, {"capabilities", Json::object()}};
      std::lock_guard lock(mu_);
      valid_session_ = "sess-" + std::to_string(++sessions_);
      res.set_header("Mcp-Session-Id", valid_session_);
      res.set_content(reply.dump(), "application/json");
    } else if (method == "tools/list") {
      reply["result"] = {
          {"tools",
           {{{"name", "echo"},
             {"inputSchema",
              {{"type", "object"}, {"properties", {{"s", {{"type", "string"}}}}}}}}}}};
      const Json progress = {{"jsonrpc", "2.0"}, {"method", "notifications/progress"}};
      res.set_content("event: message\ndata: " + progress.dump() +
                          "\n\nevent: message\ndata: " + reply.dump() + "\n\n",
                      "text/event-stream");
    } else {
      const std::string s = message["params"]["arguments"].value("s", "");
      reply["result"] = {{"content", {{{"type", "text"}, {"text", "echo " + s}}}}};
      res.set_content(reply.dump(), "application/json");
    }
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  Lines seen_;                 // guarded by mu_
  std::string valid_session_;  // guarded by mu_
  int sessions_ = 0;           // guarded by mu_
};

TEST_CASE("streamable HTTP: handshake, SSE answer, session id kept, a call round-trips") {
  LoopbackMcpServer server;
  sidecar::HttplibClient http;
  ServerConfig config;
  config.name = "remote";
  config.transport = Transport::kHttp;
  config.endpoint = server.endpoint();
  auto client = McpClient::start(config, &http);
  REQUIRE_MESSAGE(client.ok(), (client.ok() ? "" : client.error().message()));
  CHECK((*client)->protocol_version() == "2025-03-26");
  REQUIRE((*client)->tools().size() == 1);
  CHECK((*client)->tools()[0].input_schema["properties"]["s"]["type"] == "string");
  auto echoed = (*client)->call_tool("echo", {{"s", "hi"}}, TimePoint::max(), nullptr);
  REQUIRE(echoed.ok());
  CHECK(echoed->text == "echo hi");
  CHECK(server.seen() == Lines{"initialize session=", "notifications/initialized session=sess-1",
                               "tools/list session=sess-1", "tools/call session=sess-1"});
}

TEST_CASE("a 404 to our session (the server restarted) starts a new session, then retries") {
  LoopbackMcpServer server;
  sidecar::HttplibClient http;
  ServerConfig config;
  config.name = "remote";
  config.transport = Transport::kHttp;
  config.endpoint = server.endpoint();
  auto client = McpClient::start(config, &http);
  REQUIRE(client.ok());
  server.forget_sessions();
  auto echoed = (*client)->call_tool("echo", {{"s", "again"}}, TimePoint::max(), nullptr);
  REQUIRE_MESSAGE(echoed.ok(), (echoed.ok() ? "" : echoed.error().message()));
  CHECK(echoed->text == "echo again");
  CHECK(server.seen() == Lines{"initialize session=", "notifications/initialized session=sess-1",
                               "tools/list session=sess-1", "tools/call session=sess-1",
                               "initialize session=", "notifications/initialized session=sess-2",
                               "tools/call session=sess-2"});
}

TEST_CASE("an MCP server over HTTP that is not there fails to start, naming it") {
  sidecar::HttplibClient http;
  ServerConfig config;
  config.name = "gone";
  config.transport = Transport::kHttp;
  config.endpoint = "http://127.0.0.1:1/mcp";
  config.timeout = Millis(5000);
  auto client = McpClient::start(config, &http);
  REQUIRE_FALSE(client.ok());
  CHECK(client.error().message().find("MCP server gone: initialize: MCP server gone: ") == 0);
}

TEST_CASE("SSE bodies: multi-line data joined, non-JSON events skipped, CRLF accepted") {
  const auto messages =
      sse_messages("data: {\"a\":\r\ndata: 1}\r\n\r\ndata: ping\n\n: c\ndata: [2]");
  CHECK(messages == std::vector<Json>{Json{{"a", 1}}, Json{2}});
}

}  // namespace
}  // namespace aof::runtime::mcp
