#pragma once
// The per-run scratch directory the tools work in (tools::ToolCallContext::run_dir): made
// private (0700) under the system's temp directory, removed with everything in it when the
// run ends, so one event's files are never seen by another.

#include <filesystem>

#include "common/base/result.h"

namespace aof::runtime::agent {

class ScratchDir {
 public:
  // kResourceExhausted (retryable) when the directory cannot be made (disk full, no inodes).
  static Result<ScratchDir> create();
  ScratchDir(ScratchDir&& other) noexcept;
  ScratchDir& operator=(ScratchDir&&) = delete;
  ScratchDir(const ScratchDir&) = delete;
  ~ScratchDir();  // removes the directory; errors ignored

  const std::filesystem::path& path() const { return path_; }

 private:
  explicit ScratchDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;  // empty once moved from
};

}  // namespace aof::runtime::agent
