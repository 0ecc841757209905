#include "tests/support/temp_dir.h"

#include <fstream>
#include <stdexcept>

#include <stdlib.h>

namespace aof::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "aof-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::write(const std::string& relative, const std::string& content) const {
  const auto full = path_ / relative;
  std::filesystem::create_directories(full.parent_path());
  std::ofstream(full, std::ios::binary) << content;
  return full.string();
}

}  // namespace aof::testing
