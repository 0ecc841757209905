#include "common/runtime/tools/program_path.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace aof::runtime::tools {

std::string locate_program(const std::string& name, std::string search_path) {
  if (search_path.empty()) {
    const char* env = std::getenv("PATH");
    search_path = env != nullptr ? env : "/usr/local/bin:/usr/bin:/bin";
  }
  std::size_t start = 0;
  while (start <= search_path.size()) {
    const std::size_t end = std::min(search_path.find(':', start), search_path.size());
    const std::filesystem::path dir = search_path.substr(start, end - start);
    start = end + 1;
    if (!dir.is_absolute()) continue;
    const auto candidate = dir / name;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate.string();
    }
  }
  return "";
}

}  // namespace aof::runtime::tools
