#include "common/runtime/tools/run_dir.h"

#include <system_error>

namespace aof::runtime::tools {
namespace fs = std::filesystem;
namespace {

// Whether `path` (resolved) is `root` or below it.
bool is_inside(const fs::path& root, const fs::path& path) {
  const fs::path rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

Error refused(const std::string& requested, const std::string& why) {
  return Error(ErrorCode::kInvalidArgument,
               "path \"" + requested + "\" " + why +
                   "; tools only reach the run directory: give a path relative to it, such "
                   "as \"report.txt\" or \"repo/src\"");
}

}  // namespace

Result<RunDir> RunDir::open(const fs::path& run_dir) {
  if (run_dir.empty()) return Error(ErrorCode::kInternal, "no run directory for this call");
  std::error_code ec;
  fs::path root = fs::canonical(run_dir, ec);
  if (ec || !fs::is_directory(root, ec)) {
    return Error(ErrorCode::kInternal, "run directory " + run_dir.string() + " is not usable: " +
                                           (ec ? ec.message() : "not a directory"));
  }
  return RunDir(std::move(root));
}

Result<fs::path> RunDir::resolve(const std::string& requested) const {
  if (requested.find('\0') != std::string::npos) return refused("...", "contains a NUL byte");
  const fs::path path(requested);
  if (path.is_absolute()) return refused(requested, "is absolute");
  const fs::path normal = path.lexically_normal();
  if (!normal.empty() && *normal.begin() == "..") {
    return refused(requested, "leads outside the run directory");
  }
  std::error_code ec;
  fs::path resolved = fs::weakly_canonical(root_ / normal, ec);
  if (ec) return refused(requested, "cannot be resolved (" + ec.message() + ")");
  if (!is_inside(root_, resolved)) {
    return refused(requested, "leads outside the run directory through a symbolic link");
  }
  return resolved;
}

std::string RunDir::relative(const fs::path& inside) const {
  const fs::path rel = inside.lexically_relative(root_);
  return rel.empty() ? inside.string() : rel.string();
}

}  // namespace aof::runtime::tools
