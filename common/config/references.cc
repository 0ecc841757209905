// Cross-references between loaded resources: trigger commands and flow nodes name agents,
// fleets and flows; fleet members name agent files; flow nodes may name agent files in the
// agents directory. Checked once every directory is read.
#include "common/config/document_loader.h"

namespace aof::config {
namespace {

Diagnostic failed(const Reference& reference, std::string message) {
  Diagnostic diagnostic = reference.where;
  diagnostic.message = std::move(message);
  return diagnostic;
}

// A fleet member's `config`: one Agent document, in either of AOF's shapes.
void load_member_agent(const Reference& reference, ResourceSet& resources,
                       Diagnostics& diagnostics) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(reference.name, ec)) {
    diagnostics.push_back(failed(reference, "cannot read agent file " + reference.name));
    return;
  }
  Walker walker(reference.name, diagnostics);
  const auto text = read_text_file(walker);
  const auto documents = text ? load_documents(walker, *text) : std::nullopt;
  if (!documents) return;
  if (documents->size() != 1) {
    diagnostics.push_back(
        failed(reference, "agent file " + reference.name + " must hold exactly one document"));
    return;
  }
  if (auto agent = read_agent(walker, Field{documents->front(), ""})) {
    resources.fleets.at(reference.fleet).agents.at(reference.member).agent = std::move(agent);
  }
}

// A flow node's agent that is not loaded: the agents directory's file, else the node's
// agentConfig (its `agent` is cleared so the run takes that), else an error.
void resolve_flow_agent(const Reference& reference, ResourceSet& resources,
                        Diagnostics& diagnostics, const std::filesystem::path& agents_directory) {
  const std::size_t errors = count_errors(diagnostics);
  if (auto agent =
          find_agent_file(agents_directory, reference.name, reference.where, diagnostics)) {
    resources.agents.emplace(reference.name, std::move(*agent));
    return;
  }
  if (count_errors(diagnostics) != errors) return;  // a file was there but did not qualify
  const auto flow = resources.flows.find(reference.flow);
  if (reference.has_fallback && flow != resources.flows.end()) {
    for (auto& node : flow->second.nodes) {
      if (node.id == reference.node_id) node.config.agent.clear();
    }
    return;
  }
  diagnostics.push_back(failed(reference, "unknown agent " + reference.name));
}

}  // namespace

void check_references(const std::vector<Reference>& references, ResourceSet& resources,
                      Diagnostics& diagnostics, const std::filesystem::path& agents_directory) {
  for (const auto& reference : references) {
    switch (reference.kind) {
      case Reference::Kind::kAgent:
        if (resources.agents.count(reference.name)) break;
        if (!reference.flow.empty()) {
          resolve_flow_agent(reference, resources, diagnostics, agents_directory);
        } else {
          diagnostics.push_back(failed(reference, "unknown agent " + reference.name));
        }
        break;
      case Reference::Kind::kFleet:
        if (!resources.fleets.count(reference.name)) {
          diagnostics.push_back(failed(reference, "unknown fleet " + reference.name));
        }
        break;
      case Reference::Kind::kFlow:
        if (!resources.flows.count(reference.name)) {
          diagnostics.push_back(failed(reference, "unknown flow " + reference.name));
        }
        break;
      case Reference::Kind::kAgentFile:
        if (resources.fleets.count(reference.fleet)) {
          load_member_agent(reference, resources, diagnostics);
        }
        break;
    }
  }
}

}  // namespace aof::config
