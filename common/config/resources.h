#pragma once
// AOF resource kinds as users write them (reference/aof-formats.md §1): Trigger, AgentFlow,
// Agent, AgentFleet, Context. Field casing follows AOF (camelCase in flows and triggers'
// spec, snake_case inside scriptConfig and trigger config). Free-form parts stay JSON.

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/config/daemon_config.h"

namespace aof::config {

// "file.yaml:12" — where a resource (or part of it) was defined; for messages.
using SourceRef = std::string;

// ---- Trigger -------------------------------------------------------------------------------

struct CommandBinding {
  std::string agent;  // agent name, or "builtin"
  std::string fleet;
  std::string flow;
  std::string description;
  std::string report = "comment";  // ours: "review" posts the result on a GitHub pull request
                                   // as a review (event COMMENT) instead of a comment;
                                   // elsewhere, and on issues, a comment as usual
};

struct Trigger {
  std::string name;
  std::string type;  // GitHub, Slack, Telegram, Discord, WhatsApp, HTTP, Schedule,
                     // PagerDuty, Jira, Manual (+ ours: GitLab, Bitbucket, Opsgenie,
                     // Generic)
  bool enabled = true;
  // Commands by key without a leading '/': "pull_request.opened", "push", "summarize".
  std::map<std::string, CommandBinding> commands;
  std::vector<SecretRef> webhook_secrets;  // spec.config.webhook_secret (+ ours list);
                                           // `${VAR}` in AOF's value becomes value_env
  std::vector<std::string> repositories;   // spec.config.repositories (owner/repo, owner/*)
  std::vector<std::string> github_events;  // spec.config.github_events
  nlohmann::json config = nlohmann::json::object();  // the whole spec.config as written
  SourceRef source;
};

// ---- Agent ---------------------------------------------------------------------------------

struct Agent {
  std::string name;
  std::string model;  // provider:model or bare
  std::string provider;
  std::string instructions;  // instructions | system_prompt
  nlohmann::json tools = nlohmann::json::array();
  nlohmann::json mcp_servers = nlohmann::json::array();
  nlohmann::json memory;  // null = in-memory
  int max_context_messages = 10;
  int max_iterations = 10;
  double temperature = 0.7;
  std::optional<int> max_tokens;
  nlohmann::json output_schema;
  SourceRef source;
};

// ---- AgentFlow -----------------------------------------------------------------------------

enum class NodeType {
  kTransform,
  kAgent,
  kScript,
  kFleet,
  kConditional,
  kSlack,
  kDiscord,
  kHttp,
  kWait,
  kParallel,
  kJoin,
  kApproval,
  kEnd,
};

const char* to_string(NodeType type);

struct ScriptConfig {   // snake_case in YAML
  std::string command;  // run with `sh -c` (templated)
  std::string tool;     // native tool (docker, kubectl, http, json, file)
  std::string action = "run";
  nlohmann::json args = nlohmann::json::object();
  std::string working_dir;                 // templated
  std::map<std::string, std::string> env;  // values templated
  int timeout_seconds = 60;
  std::string parse = "text";  // text | json | lines | regex
  std::string pattern;         // regex for parse: regex
  bool fail_on_error = true;
};

struct NodeCondition {
  std::string from;
  std::optional<nlohmann::json> value;
  std::optional<std::string> reaction;
};

// The agent of an Agent node is resolved when the flow is loaded (AOF's order, reference
// §6.3): `inline`; else `agent`, a loaded agent or one found in the agents directory as
// <agent>.yaml, .yml, <agent>-agent.yaml or .yml (which must define that name); else the
// agent `agentConfig` defines. So a run never reads agent files.
struct NodeConfig {                   // camelCase in YAML
  std::string agent;                  // a loaded agent's name; cleared at load when it names
                                      // none and agentConfig defines the agent
  std::optional<Agent> inline_agent;  // `inline` (AOF's camelCase shape), parsed
  std::string agent_config;           // `agentConfig`: a legacy Agent YAML string, as written
  std::optional<Agent> legacy_agent;  // agent_config parsed (either Agent shape)
  std::optional<std::string> input;   // absent → empty input
  std::optional<ScriptConfig> script_config;  // `scriptConfig`
  std::string fleet;
  std::string condition;
  std::string channel, message, thread_ts;  // Slack/Discord
  bool wait_for_reaction = false;
  nlohmann::json blocks;    // null when absent
  std::string url, method;  // HTTP
  std::map<std::string, std::string> headers;
  nlohmann::json body;                 // null when absent
  std::string duration;                // Wait: Nms, Ns, Nm, Nh or bare seconds
  std::vector<std::string> branches;   // Parallel
  std::string strategy;                // Join: all | any | majority
  std::string script;                  // Transform
  std::optional<int> timeout_seconds;  // per-node timeout; Approval: how long it waits
  std::vector<std::string> approvers;  // Approval: who may decide (our key; AOF has none)
};

struct FlowNode {
  std::string id;
  NodeType type = NodeType::kEnd;
  NodeConfig config;
  std::vector<NodeCondition> conditions;
  SourceRef source;
};

struct Connection {
  std::string from;  // node id or "start"
  std::string to;
  std::string when;  // condition; "" = always
};

struct FlowContext {  // spec.context (camelCase)
  std::string kubeconfig, namespace_, cluster, working_dir;
  std::map<std::string, std::string> env;
};

// spec.config (camelCase), which AOF parses and never applies; we do.
struct FlowSettings {
  std::optional<int> default_timeout_seconds;  // defaultTimeoutSeconds: nodes without their own
  // retry: a node that fails retryably (a script's exit, a timeout, an unreachable service) is
  // run again within the run, up to max_attempts in all, waiting initial_delay, then ×
  // backoff_multiplier each time. Absent = 1 attempt (the queue retries the event; the
  // checkpoints keep finished nodes).
  int retry_max_attempts = 1;
  std::string retry_initial_delay = "1s";  // a Wait duration: 250ms, 1s, 2m
  double retry_backoff_multiplier = 2.0;
};

struct AgentFlow {
  std::string name;
  std::string description;
  std::vector<FlowNode> nodes;  // file order
  std::vector<Connection> connections;
  std::optional<FlowContext> context;
  nlohmann::json flow_config = nlohmann::json::object();  // spec.config as written
  FlowSettings settings;                                  // spec.config as applied
  SourceRef source;
};

// ---- AgentFleet, Context -------------------------------------------------------------------

struct FleetMember {
  std::string name;
  std::string config_path;     // relative to the fleet file
  std::string config_file;     // config_path resolved against the fleet
                               // file's directory ("" without config)
  nlohmann::json inline_spec;  // `spec` (null when absent)
  std::optional<Agent> agent;  // the member's agent: from `spec`, or read
                               // from config_file by load_resources (not by
                               // validate_paths, which checks structure only)
  int replicas = 1;
  std::string role = "worker";
  int tier = 1;
  std::optional<double> weight;
};

struct AgentFleet {
  std::string name;
  std::vector<FleetMember> agents;
  nlohmann::json coordination = nlohmann::json::object();  // mode, manager, consensus, ...
  SourceRef source;
};

struct Context {
  std::string name;
  nlohmann::json spec = nlohmann::json::object();
  SourceRef source;
};

// Everything loaded from the configured directories, by metadata.name.
struct ResourceSet {
  std::map<std::string, Trigger> triggers;
  std::map<std::string, AgentFlow> flows;
  std::map<std::string, Agent> agents;
  std::map<std::string, AgentFleet> fleets;
  std::map<std::string, Context> contexts;
};

}  // namespace aof::config
