// load_resources / load_resource_paths: the configured directories (or given paths), every
// kind in any of them, then cross-references. A file with errors contributes nothing.
#include <set>

#include "common/config/document_loader.h"
#include "common/config/loader.h"

namespace aof::config {
namespace {

namespace fs = std::filesystem;

class ResourceLoader {
 public:
  void add_file(const std::string& file) {
    const auto errors_before = count_errors(load_.diagnostics);
    FileResources resources = read_resource_file(file, Purpose::kLoad, load_.diagnostics);
    if (count_errors(load_.diagnostics) == errors_before) {
      merge_resources(std::move(resources), load_.resources, references_, load_.diagnostics);
    }
  }

  // Every YAML file directly in `directory`; `origin` names the setting that configured it.
  void add_directory(const fs::path& configured, const Diagnostic& origin) {
    fs::path directory = configured.lexically_normal();
    if (directory.filename().empty()) directory = directory.parent_path();  // trailing '/'
    if (!seen_.insert(directory.string()).second) return;  // one directory, several sections
    std::vector<fs::path> files;
    std::string error;
    if (!list_yaml_files(directory, false, files, error)) {
      Diagnostic d = origin;
      d.message = "cannot read directory " + directory.string() + ": " + error;
      load_.diagnostics.push_back(d);
      return;
    }
    for (const auto& file : files) add_file(file.string());
  }

  // Where flows' Agent nodes look for agent files that are not loaded.
  void set_agents_directory(fs::path directory) { agents_directory_ = std::move(directory); }

  ResourceLoad finish() {
    check_references(references_, load_.resources, load_.diagnostics, agents_directory_);
    return std::move(load_);
  }

 private:
  fs::path agents_directory_;
  ResourceLoad load_;
  std::vector<Reference> references_;
  std::set<std::string> seen_;
};

// AOF resolves a relative directory against the working directory (`aofctl serve` run from
// its repository root); a config shipped beside its resources means its own folder. Both
// work: the working directory first, as AOF, then the config file's folder if only that
// exists. When neither exists the working-directory path is reported.
fs::path resolve_directory(const std::string& configured, const fs::path& config_dir) {
  const fs::path path(configured);
  if (path.is_absolute()) return path;
  std::error_code ec;
  if (fs::exists(path, ec) || config_dir.empty()) return path;
  const fs::path beside_config = config_dir / path;
  return fs::exists(beside_config, ec) ? beside_config : path;
}

ResourceLoad load_configured(const DaemonConfig& config) {
  const fs::path base =
      config.source_path.empty() ? fs::path() : fs::path(config.source_path).parent_path();
  const std::pair<const char*, const DirectoryConfig*> sections[] = {
      {"spec.agents.directory", &config.agents},
      {"spec.flows.directory", &config.flows},
      {"spec.triggers.directory", &config.triggers},
      {"spec.fleets.directory", &config.fleets},
      {"spec.contexts.directory", &config.contexts}};
  ResourceLoader loader;
  for (const auto& [path, section] : sections) {
    if (section->directory.empty() || !section->enabled) continue;
    const fs::path directory = resolve_directory(section->directory, base);
    loader.add_directory(directory, Diagnostic{Severity::kError, config.source_path, 0, path, ""});
    if (section == &config.agents) loader.set_agents_directory(directory);
  }
  return loader.finish();
}

ResourceLoad load_paths(const std::vector<std::string>& paths) {
  ResourceLoader loader;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      loader.add_directory(path, Diagnostic{Severity::kError, path, 0, "", ""});
    } else {
      loader.add_file(path);
    }
  }
  return loader.finish();
}

ResourceLoad internal_error(const std::exception& e) {
  ResourceLoad load;
  load.diagnostics.push_back(
      Diagnostic{Severity::kError, "", 0, "", std::string("internal error: ") + e.what()});
  return load;
}

}  // namespace

ResourceLoad load_resources(const DaemonConfig& config) {
  try {
    return load_configured(config);
  } catch (const std::exception& e) {  // nothing escapes: yaml-cpp throws on odd input
    return internal_error(e);
  }
}

ResourceLoad load_resource_paths(const std::vector<std::string>& paths) {
  try {
    return load_paths(paths);
  } catch (const std::exception& e) {
    return internal_error(e);
  }
}

}  // namespace aof::config
