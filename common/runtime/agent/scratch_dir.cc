#include "common/runtime/agent/scratch_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace aof::runtime::agent {

Result<ScratchDir> ScratchDir::create() {
  std::error_code error;
  std::filesystem::path base = std::filesystem::temp_directory_path(error);
  if (error || base.empty()) base = "/tmp";  // TMPDIR names no directory
  std::string pattern = (base / "aof-run-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {  // mkdtemp makes it 0700
    return Error(ErrorCode::kResourceExhausted, "cannot make a scratch directory for the run: " +
                                                    std::string(std::strerror(errno)));
  }
  return ScratchDir(pattern);
}

ScratchDir::ScratchDir(ScratchDir&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

ScratchDir::~ScratchDir() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace aof::runtime::agent
