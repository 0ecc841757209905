// kind: Agent (reference §1.1), in AOF's two shapes, the reduced inline shapes of fleet
// members (§1.2) and flow Agent nodes (§1.3), and agentConfig's YAML string. Memory values
// AOF refuses at load (a map without `type`, `conversation`, redis, ...) are errors here,
// not a surprise at run time.
#include <algorithm>

#include "common/config/resource_parsers.h"

namespace aof::config {
namespace {

const std::vector<std::string> kMemoryNames = {"in_memory", "inmemory", "memory", "InMemory"};

bool is_memory_name(const std::string& type) {
  return std::find(kMemoryNames.begin(), kMemoryNames.end(), type) != kMemoryNames.end();
}

void read_memory(Walker& walker, const Field& field, Agent& out) {
  if (field.node.IsScalar()) {
    const std::string& value = field.node.Scalar();
    if (!is_memory_name(value) && value.rfind("file:", 0) != 0) {
      walker.error(field, "unsupported memory " + value + "; use InMemory or file:<path>");
    }
  } else if (field.node.IsMap()) {
    std::string type;
    walk_map(walker, field,
             {{"type", [&](const Field& f) { walker.read_string(f, type); }}, {"config", nullptr}},
             UnknownKeys::kWarning);
    if (!field.at("type").present())
      walker.missing(field, "type");
    else if (!is_memory_name(type) && type != "File") {
      walker.error(field.at("type"), "unsupported memory type " + type + "; use InMemory or File");
    }
  } else {
    walker.error(field, "must be a string or a map with type");
  }
  out.memory = to_json(field.node);
}

// ToolSpec: a name; {type: Shell|MCP|HTTP, config}; or {name, source, server, config, ...}.
void read_tool(Walker& walker, const Field& field) {
  if (field.node.IsScalar()) return;
  if (!field.node.IsMap()) {
    walker.error(field, "must be a tool name or a map");
    return;
  }
  const Field type = field.at("type");
  std::string type_name;
  if (type.present() && type.node.IsScalar()) type_name = type.node.Scalar();
  if (type_name == "Shell" || type_name == "MCP" || type_name == "HTTP") {
    walk_map(walker, field, {{"type", nullptr}, {"config", nullptr}}, UnknownKeys::kWarning);
    return;
  }
  if (!field.at("name").present()) {
    walker.error(field, "must have a name, or type Shell, MCP or HTTP");
    return;
  }
  std::string text, source;
  bool flag = true;
  int timeout = 0;
  walk_map(walker, field,
           {{"name", [&](const Field& f) { walker.read_string(f, text); }},
            {"source",
             [&](const Field& f) {
               walker.read_enum(f, source, {"builtin", "mcp"});
             }},
            {"server", [&](const Field& f) { walker.read_string(f, text); }},
            {"config", nullptr},
            {"enabled", [&](const Field& f) { walker.read_bool(f, flag); }},
            {"timeout_secs", [&](const Field& f) { walker.read_int(f, timeout, 1); }}},
           UnknownKeys::kWarning);
}

void read_tools(Walker& walker, const Field& field, nlohmann::json& out) {
  if (!walker.expect_sequence(field)) return;
  for (std::size_t i = 0; i < field.node.size(); ++i)
    read_tool(walker, field.item(i, field.node[i]));
  out = to_json(field.node);
}

void read_mcp_server(Walker& walker, const Field& field) {
  std::string text, transport;
  std::vector<std::string> list;
  std::map<std::string, std::string> env;
  int timeout = 0;
  bool flag = true;
  if (!walk_map(walker, field,
                {{"name", [&](const Field& f) { walker.read_string(f, text); }},
                 {"transport",
                  [&](const Field& f) {
                    walker.read_enum(f, transport, {"stdio", "sse", "http"});
                  }},
                 {"command", nullptr},  // a string or an argv list
                 {"args", [&](const Field& f) { walker.read_string_list(f, list); }},
                 {"env", [&](const Field& f) { walker.read_string_map(f, env); }},
                 {"endpoint", [&](const Field& f) { walker.read_string(f, text); }},
                 {"tools", [&](const Field& f) { walker.read_string_list(f, list); }},
                 {"init_options", nullptr},
                 {"timeout_secs", [&](const Field& f) { walker.read_int(f, timeout, 1); }},
                 {"auto_reconnect", [&](const Field& f) { walker.read_bool(f, flag); }}},
                UnknownKeys::kWarning)) {
    return;
  }
  if (!field.at("name").present()) walker.missing(field, "name");
}

void read_mcp_servers(Walker& walker, const Field& field, nlohmann::json& out) {
  if (!walker.expect_sequence(field)) return;
  for (std::size_t i = 0; i < field.node.size(); ++i) {
    read_mcp_server(walker, field.item(i, field.node[i]));
  }
  out = to_json(field.node);
}

// Keys shared by every shape that carries them.
std::vector<Key> agent_keys(Walker& walker, Agent& out) {
  return {{"model", [&](const Field& f) { walker.read_string(f, out.model); }},
          {"instructions", [&](const Field& f) { walker.read_string(f, out.instructions); }},
          {"tools", [&](const Field& f) { read_tools(walker, f, out.tools); }},
          {"mcp_servers", [&](const Field& f) { read_mcp_servers(walker, f, out.mcp_servers); }},
          {"max_iterations", [&](const Field& f) { walker.read_int(f, out.max_iterations, 1); }},
          {"temperature", [&](const Field& f) { walker.read_double(f, out.temperature); }}};
}

// The full agent shape (K8s spec, or the flat document).
std::vector<Key> full_agent_keys(Walker& walker, Agent& out) {
  std::vector<Key> keys = agent_keys(walker, out);
  keys.insert(keys.end(),
              {{"provider", [&](const Field& f) { walker.read_string(f, out.provider); }},
               {"system_prompt", [&](const Field& f) { walker.read_string(f, out.instructions); }},
               {"memory", [&](const Field& f) { read_memory(walker, f, out); }},
               {"max_context_messages",
                [&](const Field& f) { walker.read_int(f, out.max_context_messages, 1); }},
               {"max_tokens",
                [&](const Field& f) {
                  int tokens = 0;
                  if (walker.read_int(f, tokens, 1)) out.max_tokens = tokens;
                }},
               {"output_schema", [&](const Field& f) {
                  if (walker.expect_map(f)) out.output_schema = to_json(f.node);
                }}});
  return keys;
}

void check_model(Walker& walker, const Field& parent, const Agent& agent) {
  if (agent.model.empty() && !parent.at("model").present())
    walker.missing(parent, "model");
  else if (agent.model.empty())
    walker.error(parent.at("model"), "must not be empty");
}

std::optional<Agent> read_flat_agent(Walker& walker, const Field& root) {
  Agent agent;
  std::vector<Key> keys = full_agent_keys(walker, agent);
  keys.push_back({"name", [&](const Field& f) { walker.read_string(f, agent.name); }});
  walk_map(walker, root, keys, UnknownKeys::kWarning);
  return agent;
}

std::optional<Agent> read_k8s_agent(Walker& walker, const Field& root) {
  Agent agent;
  const auto spec = read_envelope(walker, root, agent.name, false);
  if (!spec) return std::nullopt;
  walk_map(walker, *spec, full_agent_keys(walker, agent), UnknownKeys::kWarning);
  check_model(walker, *spec, agent);
  return agent;
}

}  // namespace

bool is_flat_agent(const YAML::Node& document) {
  const Field root{document, ""};
  return document.IsMap() && root.at("name").present() && root.at("model").present();
}

std::optional<Agent> read_agent(Walker& walker, const Field& root) {
  const std::size_t errors = walker.error_count();
  auto agent =
      is_flat_agent(root.node) ? read_flat_agent(walker, root) : read_k8s_agent(walker, root);
  if (!agent || walker.error_count() != errors) return std::nullopt;
  agent->source = walker.source(root);
  return agent;
}

void read_inline_agent_spec(Walker& walker, const Field& spec, Agent& out) {
  std::vector<Key> keys = agent_keys(walker, out);
  std::string ignored;
  keys.push_back({"system_prompt", [&](const Field& f) { walker.read_string(f, ignored); },
                  "ignored: inline fleet agents take instructions (AOF drops system_prompt too)"});
  walk_map(walker, spec, keys, UnknownKeys::kWarning);
  check_model(walker, spec, out);
}

}  // namespace aof::config

namespace aof::config {

void read_flow_inline_agent(Walker& walker, const Field& field, Agent& out) {
  const bool ok = walk_map(
      walker, field,
      {{"name", [&](const Field& f) { walker.read_string(f, out.name); }},
       {"model", [&](const Field& f) { walker.read_string(f, out.model); }},
       {"instructions", [&](const Field& f) { walker.read_string(f, out.instructions); }},
       {"tools", [&](const Field& f) { read_tools(walker, f, out.tools); }},
       {"mcpServers", [&](const Field& f) { read_mcp_servers(walker, f, out.mcp_servers); }},
       {"temperature", [&](const Field& f) { walker.read_double(f, out.temperature); }},
       {"maxTokens",
        [&](const Field& f) {
          int tokens = 0;
          if (walker.read_int(f, tokens, 1)) out.max_tokens = tokens;
        }}},
      UnknownKeys::kWarning);
  if (!ok) return;
  if (!field.at("name").present()) walker.missing(field, "name");
  check_model(walker, field, out);
  out.source = walker.source(field);
}

std::optional<Agent> read_agent_text(Walker& walker, const Field& field, const std::string& text) {
  Diagnostics inner;
  Walker nested(walker.file(), inner);
  const auto documents = load_documents(nested, text);
  std::optional<Agent> agent;
  if (documents && documents->size() == 1) {
    agent = read_agent(nested, Field{documents->front(), ""});
  } else if (documents) {
    nested.add(Severity::kError, 0, "", "must hold exactly one YAML document");
  }
  // Findings inside the string are reported at the field, with their line in the string.
  for (const Diagnostic& d : inner) {
    std::string where = d.line > 0 ? "line " + std::to_string(d.line) + ": " : "";
    if (!d.path.empty()) where += d.path + ": ";
    walker.add(d.severity, field.line(), field.path, where + d.message);
  }
  if (has_errors(inner)) return std::nullopt;
  if (agent) agent->source = walker.source(field);
  return agent;
}

}  // namespace aof::config
