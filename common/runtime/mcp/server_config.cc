#include "common/runtime/mcp/server_config.h"

#include <sstream>

namespace aof::runtime::mcp {
namespace {

using Json = nlohmann::json;

Error invalid(const std::string& text) { return Error(ErrorCode::kInvalidArgument, text); }

bool is_string_list(const Json& value) {
  if (!value.is_array()) return false;
  for (const auto& item : value) {
    if (!item.is_string()) return false;
  }
  return true;
}

std::vector<std::string> split_words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// `command` as a string (split on whitespace, no quoting, as AOF) or an argv list.
Status read_command(const Json& entry, ServerConfig& server) {
  if (!entry.contains("command")) return ok_status();
  const Json& command = entry["command"];
  if (command.is_string()) {
    server.argv = split_words(command.get<std::string>());
  } else if (is_string_list(command)) {
    server.argv = command.get<std::vector<std::string>>();
  } else {
    return invalid("command must be a string or a list of strings");
  }
  return ok_status();
}

Status read_env(const Json& entry, ServerConfig& server) {
  if (!entry.contains("env") || entry["env"].is_null()) return ok_status();
  const Json& env = entry["env"];
  if (!env.is_object()) return invalid("env must be a map of strings");
  for (const auto& [name, value] : env.items()) {
    if (!value.is_string()) return invalid("env." + name + " must be a string");
    server.env[name] = value.get<std::string>();
  }
  return ok_status();
}

Status read_timeout(const Json& entry, const char* key, ServerConfig& server) {
  if (!entry.contains(key)) return ok_status();
  const Json& value = entry[key];
  if (!value.is_number() || value.get<double>() <= 0) {
    return invalid(std::string(key) + " must be a positive number");
  }
  server.timeout = Millis(static_cast<long long>(value.get<double>() * 1000));
  return ok_status();
}

Result<ServerConfig> read_name(const Json& entry) {
  if (!entry.is_object()) return invalid("must be a map");
  if (!entry.contains("name") || !entry["name"].is_string() ||
      entry["name"].get<std::string>().empty()) {
    return invalid("name is required");
  }
  ServerConfig server;
  server.name = entry["name"].get<std::string>();
  return server;
}

Status read_transport(const Json& entry, ServerConfig& server) {
  const std::string transport = entry.value("transport", std::string("stdio"));
  if (transport == "stdio") {
    if (server.argv.empty()) return invalid("stdio needs a command");
    return ok_status();
  }
  if (transport != "http" && transport != "sse") {
    return invalid("transport must be stdio, http or sse, not \"" + transport + "\"");
  }
  server.transport = Transport::kHttp;
  if (!entry.contains("endpoint") || !entry["endpoint"].is_string()) {
    return invalid(transport + " needs an endpoint");
  }
  server.endpoint = entry["endpoint"].get<std::string>();
  return ok_status();
}

}  // namespace

Result<ServerConfig> parse_mcp_servers_entry(const Json& entry) {
  auto server = read_name(entry);
  if (!server.ok()) return server;
  if (entry.contains("args")) {
    if (!is_string_list(entry["args"])) return invalid("args must be a list of strings");
  }
  for (Status step : {read_command(entry, *server), read_env(entry, *server),
                      read_timeout(entry, "timeout_secs", *server)}) {
    if (!step.ok()) return step.error();
  }
  if (entry.contains("args")) {
    for (const auto& arg : entry["args"]) server->argv.push_back(arg.get<std::string>());
  }
  if (auto status = read_transport(entry, *server); !status.ok()) return status.error();
  if (entry.contains("tools")) {
    if (!is_string_list(entry["tools"])) return invalid("tools must be a list of strings");
    server->tool_filter = entry["tools"].get<std::vector<std::string>>();
  }
  if (entry.contains("init_options")) server->init_options = entry["init_options"];
  if (entry.contains("auto_reconnect")) {
    if (!entry["auto_reconnect"].is_boolean()) return invalid("auto_reconnect must be a boolean");
    server->auto_reconnect = entry["auto_reconnect"].get<bool>();
  }
  return server;
}

Result<ServerConfig> parse_mcp_tool_entry(const Json& config) {
  auto server = read_name(config);
  if (!server.ok()) return server;
  for (Status step : {read_command(config, *server), read_env(config, *server),
                      read_timeout(config, "timeout_seconds", *server)}) {
    if (!step.ok()) return step.error();
  }
  if (server->argv.empty()) return invalid("command is required");
  return server;
}

}  // namespace aof::runtime::mcp
