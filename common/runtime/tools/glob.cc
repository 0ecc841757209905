#include "common/runtime/tools/glob.h"

#include <fnmatch.h>

namespace aof::runtime::tools {
namespace {

std::vector<std::string> segments_of(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    if (end > start && path.substr(start, end - start) != ".") {
      segments.emplace_back(path.substr(start, end - start));
    }
    start = end + 1;
  }
  return segments;
}

bool segment_matches(const std::string& pattern, const std::string& name) {
  return ::fnmatch(pattern.c_str(), name.c_str(), FNM_PERIOD) == 0;
}

}  // namespace

GlobPattern::GlobPattern(std::string_view pattern) : segments_(segments_of(pattern)) {
  if (pattern.find('/') == std::string_view::npos) segments_.insert(segments_.begin(), "**");
}

// matched[i][j]: pattern segments from i match path segments from j. Filled backwards, so
// each ** costs one pass instead of a search that is exponential in the number of **.
bool GlobPattern::matches(std::string_view path) const {
  const auto names = segments_of(path);
  const std::size_t p = segments_.size(), n = names.size();
  std::vector<std::vector<bool>> matched(p + 1, std::vector<bool>(n + 1, false));
  matched[p][n] = true;
  for (std::size_t i = p; i-- > 0;) {
    for (std::size_t j = n + 1; j-- > 0;) {
      if (segments_[i] == "**") {
        matched[i][j] = matched[i + 1][j] || (j < n && matched[i][j + 1]);
      } else {
        matched[i][j] = j < n && matched[i + 1][j + 1] && segment_matches(segments_[i], names[j]);
      }
    }
  }
  return matched[0][0];
}

}  // namespace aof::runtime::tools
