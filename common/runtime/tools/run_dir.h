#pragma once
// Keeps tool paths inside the run's scratch directory (ToolCallContext::run_dir): the file
// tools, and the working_dir of shell and the CLI wrappers, accept only paths that stay in
// it. Refused, each with a message saying what to do instead: absolute paths, `..` that
// climbs out, and symbolic links anywhere on the path (the last component included) whose
// target lies outside.
//
// Links are resolved as they are at the check. A command of the same run that swaps a link
// between the check and the use is not stopped: this keeps a model's paths inside the run
// directory; it is not a sandbox against the programs the agent may already run.

#include <filesystem>
#include <string>

#include "common/base/result.h"

namespace aof::runtime::tools {

class RunDir {
 public:
  // The run directory, resolved. kInternal when it is unset or does not exist (a bug of the
  // caller, not of the model).
  static Result<RunDir> open(const std::filesystem::path& run_dir);

  // The absolute, resolved path of `requested`, which is relative to the run directory
  // ("" and "." are the run directory itself). It need not exist. kInvalidArgument when it
  // would lead outside.
  Result<std::filesystem::path> resolve(const std::string& requested) const;

  // A resolved path inside the run directory as the model should write it: relative to the
  // run directory, "." for the run directory itself.
  std::string relative(const std::filesystem::path& inside) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  explicit RunDir(std::filesystem::path root) : root_(std::move(root)) {}
  std::filesystem::path root_;  // canonical
};

}  // namespace aof::runtime::tools
