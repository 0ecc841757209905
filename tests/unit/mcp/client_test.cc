// The MCP client against a real stdio server (tests/mcp_server/fake_mcp_server.cc).
#include "common/runtime/mcp/client.h"

#include <doctest/doctest.h>

#include <signal.h>

#include <fstream>
#include <thread>

#include "tests/support/temp_dir.h"
#include "tests/unit/mcp/mcp_test_util.h"

namespace aof::runtime::mcp {
namespace {

using Json = nlohmann::json;
using Lines = std::vector<std::string>;
using testing::fake_server;

Lines read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  Lines lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::unique_ptr<McpClient> started(const ServerConfig& config) {
  auto client = McpClient::start(config, nullptr);
  REQUIRE_MESSAGE(client.ok(), (client.ok() ? "" : client.error().message()));
  return std::move(*client);
}

TEST_CASE("the handshake sends notifications/initialized before tools/list, as AOF did not") {
  aof::testing::TempDir dir;
  const auto log = dir.path() / "methods";
  auto client = started(fake_server("fake", {"--log", log.string()}));
  CHECK(client->protocol_version() == "2024-11-05");
  // The fake refuses tools/list before the notification, so the tools prove the order too.
  CHECK(read_lines(log) ==
        Lines{"initialize", "notifications/initialized", "tools/list", "tools/list"});
}

TEST_CASE("tools/list follows nextCursor and keeps each tool's real inputSchema") {
  auto client = started(fake_server("fake"));
  REQUIRE(client->tools().size() == 3);
  const RemoteTool& add = client->tools()[0];
  CHECK(add.name == "add");
  CHECK(add.description == "Adds two numbers.");
  CHECK(add.input_schema == Json::parse(R"({"type":"object","properties":{"a":{"type":"number"},
                        "b":{"type":"number"}},"required":["a","b"]})"));
  CHECK(add.read_only);
  CHECK(client->tools()[1].name == "fail");
  CHECK(client->tools()[2].name == "env");
  CHECK_FALSE(client->tools()[2].read_only);
}

TEST_CASE("the tools filter keeps only the named tools") {
  ServerConfig config = fake_server("fake");
  config.tool_filter = {"env"};
  auto client = started(config);
  REQUIRE(client->tools().size() == 1);
  CHECK(client->tools()[0].name == "env");
}

TEST_CASE("a call round-trips; isError comes back as an error outcome with the server's text") {
  ServerConfig config = fake_server("fake");
  config.env = {{"FAKE_MCP_VALUE", "from the agent's env"}};
  auto client = started(config);
  auto sum = client->call_tool("add", {{"a", 2}, {"b", 3}}, TimePoint::max(), nullptr);
  REQUIRE(sum.ok());
  CHECK_FALSE(sum->is_error);
  CHECK(sum->text == "2+3=5.0");
  auto env = client->call_tool("env", {{"name", "FAKE_MCP_VALUE"}}, TimePoint::max(), nullptr);
  REQUIRE(env.ok());
  CHECK(env->text == "from the agent's env");
  auto failed = client->call_tool("fail", {{"why", "disk full"}}, TimePoint::max(), nullptr);
  REQUIRE(failed.ok());
  CHECK(failed->is_error);
  CHECK(failed->text == "boom: disk full");
  auto unknown = client->call_tool("nope", Json::object(), TimePoint::max(), nullptr);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message() == "MCP server fake: tools/call: unknown: tools/call");
}

TEST_CASE("concurrent calls on one stdio server each get their own answer") {
  auto client = started(fake_server("fake"));
  std::vector<std::string> texts(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto r = client->call_tool("add", {{"a", i}, {"b", 100}}, TimePoint::max(), nullptr);
      texts[i] = r.ok() ? r->text : r.error().message();
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 8; ++i) {
    CHECK(texts[i] == std::to_string(i) + "+100=" + Json(i + 100.0).dump());
  }
}

TEST_CASE("a server that exits at once is an error naming it, not a hang") {
  auto client = McpClient::start(fake_server("broken", {"--crash"}), nullptr);
  REQUIRE_FALSE(client.ok());
  CHECK(client.error().message() == "MCP server broken: initialize: MCP server broken exited");
}

TEST_CASE("a program that does not exist is an error naming it") {
  ServerConfig config = fake_server("missing");
  config.argv = {"/nonexistent/mcp-server"};
  auto client = McpClient::start(config, nullptr);
  REQUIRE_FALSE(client.ok());
  CHECK(client.error().message().find("MCP server missing: cannot start /nonexistent/mcp-server") ==
        0);
}

TEST_CASE("protocol 2025-03-26 is accepted; an unknown version is refused") {
  CHECK(started(fake_server("new", {"--version", "2025-03-26"}))->protocol_version() ==
        "2025-03-26");
  auto old = McpClient::start(fake_server("old", {"--version", "2023-01-01"}), nullptr);
  REQUIRE_FALSE(old.ok());
  CHECK(old.error().message() == "MCP server old: unsupported protocol version \"2023-01-01\"");
}

TEST_CASE("a call the server never answers ends at the server's timeout, or when cancelled") {
  aof::testing::TempDir dir;
  const auto log = dir.path() / "methods";
  ServerConfig config = fake_server("stuck", {"--hang", "--log", log.string()});
  config.timeout = Millis(300);
  auto client = started(config);
  auto timed_out = client->call_tool("add", {{"a", 1}, {"b", 2}}, TimePoint::max(), nullptr);
  REQUIRE_FALSE(timed_out.ok());
  CHECK(timed_out.error().code() == ErrorCode::kTimeout);
  CHECK(timed_out.error().message() ==
        "MCP server stuck: tools/call: no answer from MCP server stuck in time");
  const std::atomic<bool> cancelled{true};
  auto stopped = client->call_tool("add", {{"a", 1}, {"b", 2}}, TimePoint::max(), &cancelled);
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.error().message() == "MCP server stuck: tools/call: cancelled");
  // An answered call after them: the server has logged everything before it by then.
  REQUIRE(client->call_tool("env", {{"name", "HOME"}}, TimePoint::max(), nullptr).ok());
  CHECK(read_lines(log) == Lines{"initialize", "notifications/initialized", "tools/list",
                                 "tools/list", "tools/call", "notifications/cancelled",
                                 "tools/call", "notifications/cancelled", "tools/call"});
}

TEST_CASE("an answer over the 4 MiB line limit is dropped; the channel reads on after it") {
  ServerConfig config = fake_server("big", {"--huge"});
  config.timeout = Millis(2000);
  auto client = started(config);
  auto huge = client->call_tool("env", {{"name", "HOME"}}, TimePoint::max(), nullptr);
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().code() == ErrorCode::kTimeout);
  auto sum = client->call_tool("add", {{"a", 1}, {"b", 2}}, TimePoint::max(), nullptr);
  REQUIRE(sum.ok());
  CHECK(sum->text == "1+2=3.0");
}

TEST_CASE("a stdio server that died is started again for the next call (auto_reconnect)") {
  aof::testing::TempDir dir;
  const auto log = dir.path() / "methods";
  auto client = started(fake_server("flaky", {"--die-on-fail", "--log", log.string()}));
  auto died = client->call_tool("fail", Json::object(), TimePoint::max(), nullptr);
  REQUIRE_FALSE(died.ok());
  CHECK(died.error().message() == "MCP server flaky: tools/call: MCP server flaky exited");
  auto sum = client->call_tool("add", {{"a", 1}, {"b", 2}}, TimePoint::max(), nullptr);
  REQUIRE_MESSAGE(sum.ok(), (sum.ok() ? "" : sum.error().message()));
  CHECK(sum->text == "1+2=3.0");
  // The new process did the handshake before the call; the dead call was not repeated.
  CHECK(read_lines(log) == Lines{"initialize", "notifications/initialized", "tools/list",
                                 "tools/list", "tools/call", "initialize",
                                 "notifications/initialized", "tools/call"});
}

TEST_CASE("with auto_reconnect off a dead server stays dead") {
  ServerConfig config = fake_server("flaky", {"--die-on-fail"});
  config.auto_reconnect = false;
  auto client = started(config);
  REQUIRE_FALSE(client->call_tool("fail", Json::object(), TimePoint::max(), nullptr).ok());
  auto after = client->call_tool("add", {{"a", 1}, {"b", 2}}, TimePoint::max(), nullptr);
  REQUIRE_FALSE(after.ok());
  CHECK(after.error().message() == "MCP server flaky: tools/call: MCP server flaky exited");
}

TEST_CASE("a server that stops reading its input: the write times out, the server is ended") {
  ServerConfig config = fake_server("deaf", {"--stop-reading"});
  config.timeout = Millis(500);
  auto client = started(config);
  // Far more than a socket buffer, so the write cannot complete.
  const Json big = {{"a", 1}, {"b", 2}, {"pad", std::string(8u << 20, 'x')}};
  auto stuck = client->call_tool("add", big, TimePoint::max(), nullptr);
  REQUIRE_FALSE(stuck.ok());
  CHECK(stuck.error().code() == ErrorCode::kTimeout);
  CHECK(stuck.error().message() ==
        "MCP server deaf: tools/call: MCP server deaf is not reading its input");
}

TEST_CASE("destroying the client kills the server process") {
  aof::testing::TempDir dir;
  const auto pidfile = dir.path() / "pid";
  auto client = started(fake_server("fake", {"--pidfile", pidfile.string()}));
  const Lines pid = read_lines(pidfile);
  REQUIRE(pid.size() == 1);
  const std::string proc = "/proc/" + pid[0];
  CHECK(std::filesystem::exists(proc));
  client.reset();  // reaps it too, so /proc has no entry left, not even a zombie
  CHECK_FALSE(std::filesystem::exists(proc));
}

TEST_CASE("regression: a server's child that left the process group does not hang shutdown") {
  // It holds the stdout pipe open after the server is killed; the reader must still end.
  aof::testing::TempDir dir;
  const auto pidfile = dir.path() / "escaped";
  ServerConfig config = fake_server("leaky");
  config.argv = {"/bin/sh", "-c",
                 "setsid sleep 300 & echo $! > " + pidfile.string() + "; exec " +
                     aof::testing::binary_path("fake-mcp-server")};
  auto client = started(config);
  client.reset();  // before the fix this waited until the sleep ended (5 minutes)
  const Lines pid = read_lines(pidfile);
  REQUIRE(pid.size() == 1);
  ::kill(std::stoi(pid[0]), SIGKILL);  // what the channel could not reach
}

TEST_CASE("content blocks become text") {
  CHECK(content_text(Json::parse(R"({"content":[{"type":"text","text":"a"},
      {"type":"image","data":"AAAA","mimeType":"image/png"},
      {"type":"resource","resource":{"uri":"file:///x","text":"body"}},
      {"type":"resource","resource":{"uri":"file:///y","blob":"AA"}}]})")) ==
        "a\n[image image/png]\nbody\n[resource file:///y]");
  CHECK(content_text(Json::parse(R"({"content":[],"structuredContent":{"n":1}})")) == R"({"n":1})");
}

}  // namespace
}  // namespace aof::runtime::mcp
