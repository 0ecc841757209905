// `aof validate PATH...`: structure only, every kind, every document; no cross-references,
// no environment, no directory existence (DESIGN §3).
#include "common/config/document_loader.h"
#include "common/config/loader.h"

namespace aof::config {
namespace {

namespace fs = std::filesystem;

void validate_path(const std::string& path, bool recursive, Diagnostics& diagnostics) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    read_resource_file(path, Purpose::kValidate, diagnostics);
    return;
  }
  std::vector<fs::path> files;
  std::string error;
  if (!list_yaml_files(path, recursive, files, error)) {
    diagnostics.push_back({Severity::kError, path, 0, "", "cannot read directory: " + error});
    return;
  }
  for (const auto& file : files) read_resource_file(file.string(), Purpose::kValidate, diagnostics);
}

}  // namespace

Diagnostics validate_paths(const std::vector<std::string>& paths, bool recursive) {
  Diagnostics diagnostics;
  try {
    for (const auto& path : paths) validate_path(path, recursive, diagnostics);
  } catch (const std::exception& e) {  // nothing escapes: yaml-cpp throws on odd input
    diagnostics.push_back(
        {Severity::kError, "", 0, "", std::string("internal error: ") + e.what()});
  }
  return diagnostics;
}

}  // namespace aof::config
