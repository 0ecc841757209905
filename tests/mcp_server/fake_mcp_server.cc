// A small stdio MCP server for the MCP client's tests (tests/unit/mcp/): newline-delimited
// JSON-RPC on stdin/stdout, strict about the handshake order (tools/list before
// notifications/initialized is an error), tools listed over two pages.
// Tools: add {a, b} → "<a+b>"; fail → isError "boom: <why>"; env {name} → that variable.
// Flags: --crash (exit 3 at once), --version V (protocolVersion to answer), --log FILE (each
// method received, one per line), --pidfile FILE (our pid), --hang (never answer calls of add),
// --huge (the env tool answers with a 5 MiB line, over the client's line limit),
// --die-on-fail (a call of fail makes the server exit without answering), --stop-reading
// (after the tool list, stop reading stdin for good).
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include <unistd.h>

namespace {

using Json = nlohmann::json;

const Json kTools = Json::array({
    {{"name", "add"},
     {"description", "Adds two numbers."},
     {"inputSchema",
      {{"type", "object"},
       {"properties", {{"a", {{"type", "number"}}}, {"b", {{"type", "number"}}}}},
       {"required", {"a", "b"}}}},
     {"annotations", {{"readOnlyHint", true}}}},
    {{"name", "fail"},
     {"description", "Always fails."},
     {"inputSchema", {{"type", "object"}, {"properties", {{"why", {{"type", "string"}}}}}}}},
    {{"name", "env"},
     {"description", "Reads an environment variable."},
     {"inputSchema", {{"type", "object"}, {"properties", {{"name", {{"type", "string"}}}}}}}},
});

Json text_result(const std::string& text, bool is_error) {
  return {{"content", Json::array({{{"type", "text"}, {"text", text}}})}, {"isError", is_error}};
}

Json call_tool(const Json& params) {
  const std::string name = params.value("name", "");
  const Json args = params.value("arguments", Json::object());
  if (name == "add")
    return text_result(args["a"].dump() + "+" + args["b"].dump() + "=" +
                           Json(args["a"].get<double>() + args["b"].get<double>()).dump(),
                       false);
  if (name == "fail") return text_result("boom: " + args.value("why", ""), true);
  if (name == "env") {
    const char* value = std::getenv(args.value("name", "").c_str());
    return text_result(value == nullptr ? "" : value, false);
  }
  return Json();
}

}  // namespace

int main(int argc, char** argv) {
  std::string version = "2024-11-05";
  std::ofstream log;
  bool hang = false;
  bool huge = false;
  bool die_on_fail = false;
  bool stop_reading = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--crash") {
      std::cerr << "fake-mcp-server: crashing as asked" << std::endl;
      return 3;
    }
    if (arg == "--version" && i + 1 < argc) version = argv[++i];
    if (arg == "--log" && i + 1 < argc) log.open(argv[++i], std::ios::app);
    if (arg == "--pidfile" && i + 1 < argc) std::ofstream(argv[++i]) << getpid() << std::endl;
    if (arg == "--hang") hang = true;
    if (arg == "--huge") huge = true;
    if (arg == "--die-on-fail") die_on_fail = true;
    if (arg == "--stop-reading") stop_reading = true;
  }
  std::cerr << "fake-mcp-server: ready" << std::endl;
  bool initialized = false;
  for (std::string line; std::getline(std::cin, line);) {
    const Json message = Json::parse(line, nullptr, false);
    if (!message.is_object()) continue;
    const std::string method = message.value("method", "");
    if (log.is_open()) log << method << std::endl;
    if (method == "notifications/initialized") initialized = true;
    if (!message.contains("id")) continue;
    if (hang && method == "tools/call" && message["params"].value("name", "") == "add") continue;
    Json reply = {{"jsonrpc", "2.0"}, {"id", message["id"]}};
    const Json params = message.value("params", Json::object());
    if (method == "initialize") {
      reply["result"] = {{"protocolVersion", version},
                         {"capabilities", {{"tools", Json::object()}}},
                         {"serverInfo", {{"name", "fake"}, {"version", "1"}}},
                         {"echo", params}};
    } else if (method == "tools/list" && !initialized) {
      reply["error"] = {{"code", -32002}, {"message", "tools/list before initialized"}};
    } else if (method == "tools/list") {
      const bool second = params.value("cursor", "") == "page2";
      reply["result"] = second ? Json{{"tools", {kTools[1], kTools[2]}}}
                               : Json{{"tools", {kTools[0]}}, {"nextCursor", "page2"}};
    } else if (method == "tools/call" && die_on_fail && params.value("name", "") == "fail") {
      return 4;
    } else if (method == "tools/call" && huge && params.value("name", "") == "env") {
      reply["result"] = text_result(std::string(5u << 20, 'x'), false);
    } else if (method == "tools/call" && !call_tool(params).is_null()) {
      reply["result"] = call_tool(params);
    } else {
      reply["error"] = {{"code", -32601}, {"message", "unknown: " + method}};
    }
    std::cout << reply.dump() << std::endl;
    if (stop_reading && method == "tools/list" && params.value("cursor", "") == "page2") {
      for (;;) pause();  // ended by the client's SIGKILL
    }
  }
  return 0;
}
