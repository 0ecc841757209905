#include "common/runtime/tools/tool_plan.h"

#include <algorithm>
#include <optional>
#include <set>
#include <variant>

#include "common/runtime/tools/cli_tools.h"

namespace aof::runtime::tools {
namespace {

using Json = nlohmann::json;
using Grant = std::optional<std::vector<std::string>>;  // allowed lines; nullopt: everything

// AOF built-ins (reference §4.4) this worker does not provide.
const std::set<std::string> kAofOnlyTools = {"prometheus_query",
                                             "loki_query",
                                             "victoriametrics_query",
                                             "elasticsearch_query",
                                             "kubectl_get",
                                             "kubectl_apply",
                                             "kubectl_delete",
                                             "kubectl_logs",
                                             "kubectl_exec",
                                             "kubectl_describe",
                                             "docker_ps",
                                             "docker_stats",
                                             "docker_build",
                                             "docker_run",
                                             "docker_logs",
                                             "docker_exec",
                                             "docker_images",
                                             "git_status",
                                             "git_diff",
                                             "git_log",
                                             "git_commit",
                                             "git_branch",
                                             "git_checkout",
                                             "git_pull",
                                             "git_push",
                                             "terraform_init",
                                             "terraform_plan",
                                             "terraform_apply",
                                             "terraform_destroy",
                                             "terraform_output"};

bool is_builtin(const std::string& name) {
  const auto& all = builtin_tool_names();
  return std::find(all.begin(), all.end(), name) != all.end();
}

bool is_cli(const std::string& name) {
  const auto& all = cli_tool_names();
  return std::find(all.begin(), all.end(), name) != all.end();
}

std::string registry_name(const std::string& name) {
  if (name == "bash" || name == "sh") return "shell";
  if (name == "http") return "http_request";
  return name;
}

// "Shell", "MCP" or "HTTP" for a typed entry, else "".
std::string typed_kind(const Json& entry) {
  if (!entry.is_object() || !entry.contains("type") || !entry["type"].is_string()) return "";
  const auto type = entry["type"].get<std::string>();
  return type == "Shell" || type == "MCP" || type == "HTTP" ? type : "";
}

// A list of strings under `key` (or its camelCase spelling) in `config`: nullopt when absent
// or empty (everything), an error text when malformed.
std::variant<Grant, std::string> string_list(const Json& config, const std::string& key,
                                             const std::string& camel) {
  if (!config.is_object()) return Grant();
  const Json* list = config.contains(key) ? &config[key] : nullptr;
  if (list == nullptr && config.contains(camel)) list = &config[camel];
  if (list == nullptr || list->is_null()) return Grant();
  if (!list->is_array() ||
      !std::all_of(list->begin(), list->end(), [](const Json& item) { return item.is_string(); })) {
    return key + " must be a list of strings";
  }
  if (list->empty()) return Grant();
  return Grant(list->get<std::vector<std::string>>());
}

bool is_disabled(const Json& entry) {
  return entry.is_object() && entry.contains("enabled") && entry["enabled"] == false;
}

std::string first_word(const std::string& line) {
  const auto start = line.find_first_not_of(" \t");
  if (start == std::string::npos) return "";
  return line.substr(start, line.find_first_of(" \t", start) - start);
}

class Planner {
 public:
  explicit Planner(const config::Agent& agent) : agent_(agent) {}

  ToolPlan run() {
    const Json& tools = agent_.tools.is_array() ? agent_.tools : empty_;
    const bool typed = std::any_of(tools.begin(), tools.end(),
                                   [](const Json& e) { return !typed_kind(e).empty(); });
    if (typed) {
      for (std::size_t i = 0; i < tools.size(); ++i) typed_entry(i, tools[i]);
      mcp_servers_entries();
    } else if (agent_.mcp_servers.is_array() && !agent_.mcp_servers.empty()) {
      mcp_servers_entries();
    } else if (const auto mcp = legacy_mcp_entry(tools)) {
      warn(at(*mcp) +
           "source: mcp sends AOF down its legacy smoke-test-mcp path without built-in tools; "
           "not supported: the agent has no tools (use mcp_servers)");
    } else {
      for (std::size_t i = 0; i < tools.size(); ++i) named_entry(i, tools[i]);
    }
    return finish();
  }

 private:
  void typed_entry(std::size_t i, const Json& entry) {
    const std::string kind = typed_kind(entry);
    const Json config = entry.is_object() ? entry.value("config", Json::object()) : Json();
    if (kind == "Shell") {
      shell_entry(i, config);
    } else if (kind == "HTTP") {
      http_entry(i, config);
    } else if (kind == "MCP") {
      auto server = mcp::parse_mcp_tool_entry(config);
      if (server.ok()) {
        mcp_servers_.push_back(std::move(*server));
      } else {
        warn(at(i) + "MCP: " + server.error().message() + "; skipped");
      }
    } else {
      warn(at(i) + "\"" + name_of(entry) +
           "\" ignored: with a Shell, MCP or HTTP entry in the list, AOF uses only those");
    }
  }

  void shell_entry(std::size_t i, const Json& config) {
    auto list = string_list(config, "allowed_commands", "allowedCommands");
    if (auto* problem = std::get_if<std::string>(&list)) {
      warn(at(i) + *problem + "; shell skipped");
      return;
    }
    const Grant& grant = std::get<Grant>(list);
    add("shell", grant);
    if (!grant) return;
    for (const auto& program : cli_tool_names()) {  // AOF: each allowed command is a tool
      std::vector<std::string> lines;
      for (const auto& line : *grant) {
        if (first_word(line) == program) lines.push_back(line);
      }
      if (!lines.empty()) add(program, Grant(lines));
    }
  }

  void http_entry(std::size_t i, const Json& config) {
    auto list = string_list(config, "allowed_methods", "allowedMethods");
    if (auto* problem = std::get_if<std::string>(&list)) {
      warn(at(i) + *problem + "; http_request skipped");
      return;
    }
    const Grant& methods = std::get<Grant>(list);
    if (!methods || (http_methods_ && !*http_methods_)) {
      http_methods_ = Grant();
    } else if (!http_methods_) {
      http_methods_ = methods;
    } else {
      (*http_methods_)->insert((*http_methods_)->end(), methods->begin(), methods->end());
    }
    add("http_request", Grant());
  }

  void named_entry(std::size_t i, const Json& entry) {
    const std::string given = name_of(entry);
    if (is_disabled(entry)) return;
    const std::string name = registry_name(given);
    if (kAofOnlyTools.contains(name)) {
      warn(at(i) + "\"" + given +
           "\" is an AOF built-in this worker does not provide yet; skipped");
      return;
    }
    if (!is_builtin(name)) {
      warn(at(i) + "unknown tool \"" + given + "\"; skipped (built-ins: " + builtin_list() + ")");
      return;
    }
    if (name != "shell" && !is_cli(name)) return add(name, Grant());
    auto list = string_list(entry.is_object() ? entry.value("config", Json()) : Json(),
                            "allowed_commands", "allowedCommands");
    if (auto* problem = std::get_if<std::string>(&list)) {
      warn(at(i) + *problem + "; " + name + " skipped");
      return;
    }
    add(name, std::get<Grant>(list));
  }

  void mcp_servers_entries() {
    if (!agent_.mcp_servers.is_array()) return;
    for (std::size_t i = 0; i < agent_.mcp_servers.size(); ++i) {
      auto server = mcp::parse_mcp_servers_entry(agent_.mcp_servers[i]);
      if (server.ok()) {
        mcp_servers_.push_back(std::move(*server));
      } else {
        warn("mcp_servers[" + std::to_string(i) + "]: " + server.error().message() + "; skipped");
      }
    }
  }

  std::optional<std::size_t> legacy_mcp_entry(const Json& tools) const {
    for (std::size_t i = 0; i < tools.size(); ++i) {
      const Json& entry = tools[i];
      if (entry.is_object() && entry.contains("source") && entry["source"] == "mcp") return i;
    }
    return std::nullopt;
  }

  // Grants `name` with `grant`; lists of several entries add up, no list allows everything.
  void add(const std::string& name, const Grant& grant) {
    if (std::find(names_.begin(), names_.end(), name) == names_.end()) {
      names_.push_back(name);
      allowed_[name] = grant;
      return;
    }
    Grant& current = allowed_[name];
    if (!current || !grant) {
      current.reset();
    } else {
      current->insert(current->end(), grant->begin(), grant->end());
    }
  }

  ToolPlan finish() {
    ToolPlan plan;
    plan.names = names_;
    for (const auto& [name, grant] : allowed_) {
      if (grant) plan.allowed_commands[name] = *grant;
    }
    if (http_methods_ && *http_methods_) plan.http_methods = **http_methods_;
    plan.warnings = std::move(warnings_);
    plan.mcp_servers = std::move(mcp_servers_);
    return plan;
  }

  static std::string name_of(const Json& entry) {
    if (entry.is_string()) return entry.get<std::string>();
    if (entry.is_object() && entry.contains("name") && entry["name"].is_string()) {
      return entry["name"].get<std::string>();
    }
    return entry.dump(-1, ' ', false, Json::error_handler_t::replace);
  }

  static std::string builtin_list() {
    std::string list;
    for (const auto& name : builtin_tool_names()) list += (list.empty() ? "" : ", ") + name;
    return list;
  }

  static std::string at(std::size_t i) { return "tools[" + std::to_string(i) + "]: "; }
  void warn(const std::string& text) { warnings_.push_back("agent " + agent_.name + ": " + text); }

  const config::Agent& agent_;
  const Json empty_ = Json::array();
  std::vector<std::string> names_;
  std::map<std::string, Grant> allowed_;
  std::optional<Grant> http_methods_;  // nullopt: no HTTP entry yet
  std::vector<std::string> warnings_;
  std::vector<mcp::ServerConfig> mcp_servers_;
};

}  // namespace

const std::vector<std::string>& builtin_tool_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names = {"shell"};
    names.insert(names.end(), cli_tool_names().begin(), cli_tool_names().end());
    names.insert(names.end(),
                 {"read_file", "write_file", "list_directory", "search_files", "http_request"});
    return names;
  }();
  return kNames;
}

ToolPlan plan_tools(const config::Agent& agent) { return Planner(agent).run(); }

}  // namespace aof::runtime::tools
