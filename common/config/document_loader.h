#pragma once
// Private to common/config: reading YAML files document by document, whatever their kinds,
// and merging what they define. Used by load_resources, load_resource_paths and validate_paths.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/config/diagnostics.h"
#include "common/config/resource_parsers.h"
#include "common/config/resources.h"

namespace aof::config {

// kLoad: what the daemon runs (DaemonConfig and kind-less flat agents are skipped with a
// warning). kValidate: every document is checked, DaemonConfig and flat agents included.
enum class Purpose { kLoad, kValidate };

// What one file defines; merged into the whole set only when the file has no errors.
struct FileResources {
  ResourceSet resources;
  std::vector<Reference> references;
};

// Reads every document of `file`, appending findings to `diagnostics`.
FileResources read_resource_file(const std::string& file, Purpose purpose,
                                 Diagnostics& diagnostics);

// Adds `file` to `into`; a name already defined (same kind) is an error.
void merge_resources(FileResources&& file, ResourceSet& into, std::vector<Reference>& references,
                     Diagnostics& diagnostics);

// *.yaml and *.yml files in `directory` (and below it when `recursive`), sorted by path.
// Returns false (with `error`) when the directory cannot be listed.
bool list_yaml_files(const std::filesystem::path& directory, bool recursive,
                     std::vector<std::filesystem::path>& out, std::string& error);

// Resolves every reference: names must exist; fleet member config files are read as Agents.
// A flow's Agent node naming an agent that is not loaded gets it from `agents_directory`
// ("" = none) by find_agent_file, else from its agentConfig (the name is then cleared).
void check_references(const std::vector<Reference>& references, ResourceSet& resources,
                      Diagnostics& diagnostics, const std::filesystem::path& agents_directory);

// AOF's file lookup for a flow's agent (reference §6.3): <name>.yaml, <name>.yml,
// <name>-agent.yaml, <name>-agent.yml in `directory`, the first that exists, which must hold
// one Agent document (either shape) named `name`, of at most 1 MiB. `name` must be a plain
// file name (no '/', '\\' or "..", not hidden), so a flow cannot reach outside the directory.
// nullopt when no file exists or the name is not plain; a file that exists but does not
// qualify is an error at `where`.
std::optional<Agent> find_agent_file(const std::filesystem::path& directory,
                                     const std::string& name, const Diagnostic& where,
                                     Diagnostics& diagnostics);

}  // namespace aof::config
