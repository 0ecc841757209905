// kind: AgentFlow (reference §1.3): camelCase everywhere except scriptConfig (snake_case).
// Node types are AOF's, case-sensitive; AOF's per-type requirements are errors here.
#include <regex>

#include "common/config/flow_graph.h"
#include "common/config/native_tools.h"
#include "common/config/resource_parsers.h"

namespace aof::config {
namespace {

const std::vector<std::pair<std::string, NodeType>> kNodeTypes = {
    {"Transform", NodeType::kTransform},
    {"Agent", NodeType::kAgent},
    {"Script", NodeType::kScript},
    {"Fleet", NodeType::kFleet},
    {"Conditional", NodeType::kConditional},
    {"Slack", NodeType::kSlack},
    {"Discord", NodeType::kDiscord},
    {"HTTP", NodeType::kHttp},
    {"Wait", NodeType::kWait},
    {"Parallel", NodeType::kParallel},
    {"Join", NodeType::kJoin},
    {"Approval", NodeType::kApproval},
    {"End", NodeType::kEnd}};

void read_node_type(Walker& walker, const Field& field, NodeType& out) {
  std::string text;
  if (!walker.read_string(field, text)) return;
  for (const auto& [name, type] : kNodeTypes) {
    if (name == text) {
      out = type;
      return;
    }
  }
  std::vector<std::string> names;
  for (const auto& entry : kNodeTypes) names.push_back(entry.first);
  walker.error(field, one_of_message(names));
}

std::string joined(const std::vector<std::string_view>& words) {
  std::string text;
  for (const auto word : words) text += (text.empty() ? "" : ", ") + std::string(word);
  return text;
}

// A native tool's action and required args (native_tools.h), here rather than at run time.
void check_native_tool(Walker& walker, const Field& field, const ScriptConfig& script) {
  const std::string actions = joined(native_tool_actions(script.tool));
  const Field action = field.at("action");
  if (!action.present()) {
    walker.error(field, "tool " + script.tool + " needs an action: one of " + actions);
    return;
  }
  const auto* entry = find_native_tool_action(script.tool, script.action);
  if (entry == nullptr) {
    walker.error(action, script.tool + " has no action \"" + script.action + "\"; it has " +
                             actions);
    return;
  }
  const Field args = field.at("args");
  for (const auto arg : entry->required) {
    const std::string key(arg);
    if (script.args.contains(key) && !script.args[key].is_null()) continue;
    if (args.present()) {
      walker.missing(args, key);
    } else {
      walker.missing(field, "args." + key);
    }
  }
}

void read_script_config(Walker& walker, const Field& field, ScriptConfig& out) {
  const auto text = [&](std::string& target) {
    return [&walker, &target](const Field& f) { walker.read_string(f, target); };
  };
  walk_map(
      walker, field,
      {{"command", text(out.command)},
       {"tool",
        [&](const Field& f) {
          walker.read_enum(f, out.tool, {"docker", "kubectl", "http", "json", "file"});
        }},
       {"action", text(out.action)},
       {"args",
        [&](const Field& f) {
          if (walker.expect_map(f)) out.args = to_json(f.node);
        }},
       {"working_dir", text(out.working_dir)},
       {"env", [&](const Field& f) { walker.read_string_map(f, out.env); }},
       {"timeout_seconds", [&](const Field& f) { walker.read_int(f, out.timeout_seconds, 1); }},
       {"parse",
        [&](const Field& f) {
          walker.read_enum(f, out.parse, {"text", "json", "lines", "regex"});
        }},
       {"pattern", text(out.pattern)},
       {"fail_on_error", [&](const Field& f) { walker.read_bool(f, out.fail_on_error); }}},
      UnknownKeys::kWarning);
  if (!field.at("command").present() && !field.at("tool").present()) {
    walker.error(field, "needs command or tool");
  }
  if (!out.command.empty() && !out.tool.empty()) {
    walker.error(field, "has both command and tool; a Script node runs one of them");
  }
  if (!out.tool.empty()) check_native_tool(walker, field, out);
  if (out.parse == "regex" && out.pattern.empty()) walker.missing(field, "pattern");
}

void read_duration(Walker& walker, const Field& field, std::string& out) {
  static const std::regex kDuration(R"(^\d+(ms|s|m|h)?$)");
  if (!walker.read_string(field, out)) return;
  if (!std::regex_match(out, kDuration)) {
    walker.error(field, "must be a duration like 500ms, 30s, 5m, 1h or a number of seconds");
  }
}

// spec.config: defaultTimeoutSeconds, retry {maxAttempts, initialDelay, backoffMultiplier};
// errorHandler and verbose are AOF's and do nothing here either.
void read_flow_settings(Walker& walker, const Field& field, FlowSettings& out) {
  walk_map(
      walker, field,
      {{"defaultTimeoutSeconds",
        [&](const Field& f) {
          int seconds = 0;
          if (walker.read_int(f, seconds, 1)) out.default_timeout_seconds = seconds;
        }},
       {"retry",
        [&](const Field& f) {
          if (!walker.expect_map(f)) return;
          walk_map(walker, f,
                   {{"maxAttempts",
                     [&](const Field& a) {
                       walker.read_int_between(a, out.retry_max_attempts, 1, 10);
                     }},
                    {"initialDelay",
                     [&](const Field& d) { read_duration(walker, d, out.retry_initial_delay); }},
                    {"backoffMultiplier",
                     [&](const Field& m) {
                       if (walker.read_double(m, out.retry_backoff_multiplier) &&
                           (out.retry_backoff_multiplier < 1.0 ||
                            out.retry_backoff_multiplier > 10.0)) {
                         walker.error(m, "must be between 1 and 10");
                       }
                     }},
                    {"backoff", nullptr, kNoEffect},
                    {"maxDelay", nullptr, kNoEffect}},
                   UnknownKeys::kWarning);
          // AOF's default once `retry` is written at all.
          if (!f.at("maxAttempts").present()) out.retry_max_attempts = 3;
        }},
       {"errorHandler", nullptr, kNoEffect},
       {"verbose", [](const Field&) {}}},  // AOF's log switch: our logs have levels
      UnknownKeys::kWarning);
}

std::vector<Key> node_config_keys(Walker& walker, NodeConfig& out) {
  const auto text = [&](std::string& target) {
    return [&walker, &target](const Field& f) { walker.read_string(f, target); };
  };
  const auto json = [&](nlohmann::json& target) {
    return [&target](const Field& f) { target = to_json(f.node); };
  };
  return {{"agent", text(out.agent)},
          {"inline",
           [&](const Field& f) { read_flow_inline_agent(walker, f, out.inline_agent.emplace()); }},
          {"agentConfig",
           [&](const Field& f) {
             if (walker.read_string(f, out.agent_config)) {
               out.legacy_agent = read_agent_text(walker, f, out.agent_config);
             }
           }},
          {"input", [&](const Field& f) { walker.read_string(f, out.input.emplace()); }},
          {"context", nullptr, kNoEffect},
          {"tools", nullptr, kNoEffect},
          {"mcpServers", nullptr, kNoEffect},
          {"scriptConfig",
           [&](const Field& f) { read_script_config(walker, f, out.script_config.emplace()); }},
          {"fleet", text(out.fleet)},
          {"condition", text(out.condition)},
          {"channel", text(out.channel)},
          {"message", text(out.message)},
          {"threadTs", text(out.thread_ts)},
          {"waitForReaction", [&](const Field& f) { walker.read_bool(f, out.wait_for_reaction); }},
          {"blocks", json(out.blocks)},
          {"url", text(out.url)},
          {"method", text(out.method)},
          {"headers", [&](const Field& f) { walker.read_string_map(f, out.headers); }},
          {"body", json(out.body)},
          {"duration", [&](const Field& f) { read_duration(walker, f, out.duration); }},
          {"branches", [&](const Field& f) { walker.read_string_list(f, out.branches); }},
          {"strategy",
           [&](const Field& f) {
             walker.read_enum(f, out.strategy, {"all", "any", "majority"});
           }},
          {"script", text(out.script)},
          {"approvers", [&](const Field& f) { walker.read_string_list(f, out.approvers); }},
          {"timeoutSeconds", [&](const Field& f) {
             int seconds = 0;
             if (walker.read_int(f, seconds, 1)) out.timeout_seconds = seconds;
           }}};
}

void read_conditions(Walker& walker, const Field& field, std::vector<NodeCondition>& out) {
  if (!walker.expect_sequence(field)) return;
  for (std::size_t i = 0; i < field.node.size(); ++i) {
    NodeCondition condition;
    walk_map(walker, field.item(i, field.node[i]),
             {{"from", [&](const Field& f) { walker.read_string(f, condition.from); }},
              {"value", [&](const Field& f) { condition.value = to_json(f.node); }},
              {"reaction",
               [&](const Field& f) { walker.read_string(f, condition.reaction.emplace()); }}},
             UnknownKeys::kWarning);
    out.push_back(std::move(condition));
  }
}

// What each node type cannot run without (AOF validates the same).
void check_node_requirements(Walker& walker, const Field& node, const FlowNode& flow_node) {
  const NodeConfig& c = flow_node.config;
  const auto require = [&](bool ok, const std::string& key) {
    if (!ok) {
      walker.add(Severity::kError, node.line(), node.path + ".config." + key,
                 std::string("required for type ") + to_string(flow_node.type));
    }
  };
  switch (flow_node.type) {
    case NodeType::kAgent:
      if (c.agent.empty() && !c.inline_agent && c.agent_config.empty()) {
        walker.add(Severity::kError, node.line(), node.path + ".config",
                   "type Agent needs agent, inline or agentConfig");
      }
      break;
    case NodeType::kScript:
      require(c.script_config.has_value(), "scriptConfig");
      break;
    case NodeType::kFleet:
      require(!c.fleet.empty(), "fleet");
      break;
    case NodeType::kConditional:
      require(!c.condition.empty(), "condition");
      break;
    default:
      break;
  }
}

// An inline agent needs no reference. A named one does; with agentConfig beside it, the
// name may resolve to nothing (the node then runs agentConfig's agent).
void add_node_references(DocumentContext& context, const Field& node, const FlowNode& flow_node) {
  const Field config = node.at("config");
  if (flow_node.type == NodeType::kAgent && !flow_node.config.agent.empty() &&
      !flow_node.config.inline_agent) {
    add_reference(context, Reference::Kind::kAgent, flow_node.config.agent, config.at("agent"));
    context.references.back().node_id = flow_node.id;
    context.references.back().has_fallback = flow_node.config.legacy_agent.has_value();
  }
  if (flow_node.type == NodeType::kFleet && !flow_node.config.fleet.empty()) {
    add_reference(context, Reference::Kind::kFleet, flow_node.config.fleet, config.at("fleet"));
  }
}

FlowNode read_node(DocumentContext& context, const Field& field) {
  Walker& walker = context.walker;
  FlowNode node;
  if (!walk_map(
          walker, field,
          {{"id", [&](const Field& f) { walker.read_string(f, node.id); }},
           {"type", [&](const Field& f) { read_node_type(walker, f, node.type); }},
           {"config",
            [&](const Field& f) {
              walk_map(walker, f, node_config_keys(walker, node.config), UnknownKeys::kWarning);
            }},
           {"conditions", [&](const Field& f) { read_conditions(walker, f, node.conditions); }}},
          UnknownKeys::kWarning)) {
    return node;
  }
  node.source = walker.source(field);
  if (node.id.empty()) walker.missing(field, "id");
  if (!field.at("type").present())
    walker.missing(field, "type");
  else
    check_node_requirements(walker, field, node);
  add_node_references(context, field, node);
  return node;
}

void read_nodes(DocumentContext& context, const Field& field, std::vector<FlowNode>& out) {
  if (!context.walker.expect_sequence(field)) return;
  if (field.node.size() == 0) context.walker.error(field, "must list at least one node");
  for (std::size_t i = 0; i < field.node.size(); ++i) {
    out.push_back(read_node(context, field.item(i, field.node[i])));
  }
}

void read_connections(Walker& walker, const Field& field, std::vector<Connection>& out) {
  if (!walker.expect_sequence(field)) return;
  for (std::size_t i = 0; i < field.node.size(); ++i) {
    const Field item = field.item(i, field.node[i]);
    Connection& connection = out.emplace_back();  // one per item, even a broken one
    if (!walk_map(walker, item,
                  {{"from", [&](const Field& f) { walker.read_string(f, connection.from); }},
                   {"to", [&](const Field& f) { walker.read_string(f, connection.to); }},
                   {"when", [&](const Field& f) { walker.read_string(f, connection.when); }}},
                  UnknownKeys::kWarning)) {
      continue;
    }
    if (connection.from.empty()) walker.missing(item, "from");
    if (connection.to.empty()) walker.missing(item, "to");
  }
}

void read_flow_context(Walker& walker, const Field& field, FlowContext& out) {
  walk_map(walker, field,
           {{"kubeconfig", [&](const Field& f) { walker.read_string(f, out.kubeconfig); }},
            {"namespace", [&](const Field& f) { walker.read_string(f, out.namespace_); }},
            {"cluster", [&](const Field& f) { walker.read_string(f, out.cluster); }},
            {"env", [&](const Field& f) { walker.read_string_map(f, out.env); }},
            {"workingDir", [&](const Field& f) { walker.read_string(f, out.working_dir); }}},
           UnknownKeys::kWarning);
}

}  // namespace

const char* to_string(NodeType type) {
  for (const auto& [name, value] : kNodeTypes) {
    if (value == type) return name.c_str();
  }
  return "End";
}

std::optional<AgentFlow> read_flow(DocumentContext& context, const Field& root) {
  Walker& walker = context.walker;
  const std::size_t errors = walker.error_count();
  AgentFlow flow;
  const auto spec = read_envelope(walker, root, flow.name, false);
  if (!spec) return std::nullopt;
  flow.source = walker.source(root);
  const std::size_t first_reference = context.references.size();
  walk_map(
      walker, *spec,
      {{"description", [&](const Field& f) { walker.read_string(f, flow.description); }},
       {"nodes", [&](const Field& f) { read_nodes(context, f, flow.nodes); }},
       {"connections", [&](const Field& f) { read_connections(walker, f, flow.connections); }},
       {"context", [&](const Field& f) { read_flow_context(walker, f, flow.context.emplace()); }},
       {"config",
        [&](const Field& f) {
          if (!walker.expect_map(f)) return;
          flow.flow_config = to_json(f.node);
          read_flow_settings(walker, f, flow.settings);
        }},
       {"trigger", nullptr, "ignored: triggers live in Trigger resources (as in AOF)"}},
      UnknownKeys::kWarning);
  if (!spec->at("nodes").present())
    walker.missing(*spec, "nodes");
  else
    check_flow_graph(walker, *spec, flow);
  if (walker.error_count() != errors) return std::nullopt;
  for (std::size_t i = first_reference; i < context.references.size(); ++i) {
    if (!context.references[i].node_id.empty()) context.references[i].flow = flow.name;
  }
  return flow;
}

}  // namespace aof::config
