// One file, any kinds, any number of documents (AOF allowed one per file; DESIGN §3 more).
#include "common/config/document_loader.h"

#include <algorithm>

#include "common/config/daemon_sections.h"
#include "common/config/envelope.h"

namespace aof::config {
namespace {

// Kinds AOF defines that the daemon never runs: skipped, not refused.
const std::vector<std::string> kSkippedKinds = {"Workflow", "FlowBinding", "ToolClassification"};

// "file:12" back into file and line, for findings about an already-loaded resource.
Diagnostic at_source(const SourceRef& source, std::string path, std::string message) {
  const auto colon = source.rfind(':');
  return Diagnostic{Severity::kError, source.substr(0, colon),
                    std::atoi(source.c_str() + colon + 1), std::move(path), std::move(message)};
}

template <typename T>
void insert(Walker& walker, const Field& root, const char* kind, std::optional<T>&& value,
            std::map<std::string, T>& into) {
  if (!value) return;
  const auto [existing, inserted] = into.emplace(value->name, std::move(*value));
  if (!inserted) {
    walker.error(root.at("metadata").at("name"), std::string("duplicate ") + kind + " name " +
                                                     existing->first + " (also at " +
                                                     existing->second.source + ")");
  }
}

void read_unsupported(Walker& walker, const Field& root, const std::string& kind, Purpose purpose) {
  const Field kind_field = root.at("kind");
  if (std::find(kSkippedKinds.begin(), kSkippedKinds.end(), kind) != kSkippedKinds.end()) {
    walker.warning(kind_field, "kind " + kind + " is not loaded by aof-scale; skipped");
  } else if (kind == "DaemonConfig" && purpose == Purpose::kValidate) {
    read_daemon_document(walker, root);
  } else if (kind == "DaemonConfig") {
    walker.warning(kind_field, "kind DaemonConfig is not a resource; skipped");
  } else if (kind.empty() && is_flat_agent(root.node) && purpose == Purpose::kLoad) {
    walker.warning(root, "agent without kind: Agent is not loaded by the daemon; skipped");
  } else if (kind.empty() && !kind_field.present()) {
    walker.missing(root, "kind");
  } else {
    walker.error(kind_field, "unknown kind " + kind);
  }
}

void read_document(DocumentContext& context, const Field& root, Purpose purpose, ResourceSet& out) {
  Walker& walker = context.walker;
  if (!walker.expect_map(root)) return;
  const std::string kind = kind_of(root.node);
  if (kind == "Trigger")
    insert(walker, root, "Trigger", read_trigger(context, root), out.triggers);
  else if (kind == "AgentFlow")
    insert(walker, root, "AgentFlow", read_flow(context, root), out.flows);
  else if (kind == "AgentFleet")
    insert(walker, root, "AgentFleet", read_fleet(context, root), out.fleets);
  else if (kind == "Context")
    insert(walker, root, "Context", read_context(context, root), out.contexts);
  else if (kind == "Agent" ||
           (kind.empty() && is_flat_agent(root.node) && purpose == Purpose::kValidate)) {
    insert(walker, root, "Agent", read_agent(walker, root), out.agents);
  } else {
    read_unsupported(walker, root, kind, purpose);
  }
}

template <typename T>
void merge_kind(const char* kind, std::map<std::string, T>& from, std::map<std::string, T>& into,
                Diagnostics& diagnostics) {
  for (auto& [name, value] : from) {
    const auto existing = into.find(name);
    if (existing == into.end()) {
      into.emplace(name, std::move(value));
      continue;
    }
    diagnostics.push_back(at_source(value.source, "metadata.name",
                                    std::string("duplicate ") + kind + " name " + name +
                                        " (also at " + existing->second.source + ")"));
  }
}

}  // namespace

FileResources read_resource_file(const std::string& file, Purpose purpose,
                                 Diagnostics& diagnostics) {
  FileResources out;
  Walker walker(file, diagnostics);
  const auto text = read_text_file(walker);
  if (!text) return out;
  const auto documents = load_documents(walker, *text);
  if (!documents) return out;
  if (documents->empty()) walker.add(Severity::kWarning, 0, "", "no YAML document");
  DocumentContext context{walker, std::filesystem::path(file).parent_path(), out.references};
  try {
    for (const auto& document : *documents) {
      read_document(context, Field{document, ""}, purpose, out.resources);
    }
  } catch (const std::exception& e) {  // yaml-cpp conversions, endless alias trees
    walker.add(Severity::kError, 0, "", e.what());
  }
  return out;
}

void merge_resources(FileResources&& file, ResourceSet& into, std::vector<Reference>& references,
                     Diagnostics& diagnostics) {
  merge_kind("Trigger", file.resources.triggers, into.triggers, diagnostics);
  merge_kind("AgentFlow", file.resources.flows, into.flows, diagnostics);
  merge_kind("Agent", file.resources.agents, into.agents, diagnostics);
  merge_kind("AgentFleet", file.resources.fleets, into.fleets, diagnostics);
  merge_kind("Context", file.resources.contexts, into.contexts, diagnostics);
  references.insert(references.end(), file.references.begin(), file.references.end());
}

bool list_yaml_files(const std::filesystem::path& directory, bool recursive,
                     std::vector<std::filesystem::path>& out, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto add = [&out](const fs::directory_entry& entry) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) out.push_back(entry.path());
  };
  if (recursive) {
    for (fs::recursive_directory_iterator it(directory, ec), end; !ec && it != end;
         it.increment(ec))
      add(*it);
  } else {
    for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec))
      add(*it);
  }
  if (ec) {
    error = ec.message();
    return false;
  }
  std::sort(out.begin(), out.end());
  return true;
}

}  // namespace aof::config
