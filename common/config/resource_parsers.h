#pragma once
// Private to common/config: one reader per AOF resource kind, and what they hand the loader.
// A reader returns nullopt when the document had errors (the loader then skips the file).
// Unknown keys inside resources are warnings: AOF ignores them, so users' files keep working.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/config/resources.h"
#include "common/config/yaml_walk.h"

namespace aof::config {

// A name one resource uses to reach another, checked once everything is loaded.
struct Reference {
  enum class Kind { kAgent, kFleet, kFlow, kAgentFile };
  Kind kind = Kind::kAgent;
  std::string name;        // resource name; kAgentFile: the resolved file path
  Diagnostic where;        // file, line and path of the referring field
  std::string fleet;       // kAgentFile: the fleet whose member this is
  std::size_t member = 0;  // kAgentFile: index into that fleet's agents
  std::string flow;        // kAgent from a flow's Agent node: the flow and the node's id
  std::string node_id;
  bool has_fallback = false;  // that node has agentConfig: the name may resolve to nothing
};

// Where the document came from and where references go.
struct DocumentContext {
  Walker& walker;
  std::filesystem::path directory;     // of the file, for fleet member config paths
  std::vector<Reference>& references;  // appended to by readers
};

std::optional<Trigger> read_trigger(DocumentContext& context, const Field& root);
std::optional<AgentFlow> read_flow(DocumentContext& context, const Field& root);
std::optional<AgentFleet> read_fleet(DocumentContext& context, const Field& root);
std::optional<Context> read_context(DocumentContext& context, const Field& root);
// Both AOF shapes: flat (top-level name + model) is tried first, then K8s (spec.model).
std::optional<Agent> read_agent(Walker& walker, const Field& root);
bool is_flat_agent(const YAML::Node& document);
// An AgentFleet member's inline `spec` (AOF's reduced agent shape).
void read_inline_agent_spec(Walker& walker, const Field& spec, Agent& out);
// A flow Agent node's `inline` agent: name, model (both required), instructions, tools,
// mcpServers, temperature, maxTokens (camelCase, as AOF's flow structs).
void read_flow_inline_agent(Walker& walker, const Field& field, Agent& out);
// An Agent document held in a string (a flow node's `agentConfig`); its findings are
// reported at `field` as "line N: <path>: <message>". nullopt after errors.
std::optional<Agent> read_agent_text(Walker& walker, const Field& field, const std::string& text);

// The K8s envelope of a resource: apiVersion (required if asked), kind, metadata.name
// (required), spec (required map). Returns spec, or nullopt after reporting.
std::optional<Field> read_envelope(Walker& walker, const Field& root, std::string& name,
                                   bool api_version_required);

// Records a reference from `field` (a flow/agent/fleet name) for the cross-reference check.
void add_reference(DocumentContext& context, Reference::Kind kind, const std::string& name,
                   const Field& field);

}  // namespace aof::config
