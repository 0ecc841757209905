#pragma once
// Glob patterns for search_files. Patterns match '/'-separated relative paths segment by
// segment: * ? and [...] (fnmatch, without crossing '/'; a leading '.' must be matched
// explicitly, as in a shell), and a whole segment ** matches any number of directories,
// none included. A pattern without '/' matches the last segment at any depth, so "*.yaml"
// finds every YAML file below the search root (what `find -name` does and what a model
// asking for "*.yaml" means). Pure functions, thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace aof::runtime::tools {

class GlobPattern {
 public:
  explicit GlobPattern(std::string_view pattern);
  // `path` relative to the search root, '/'-separated, no leading "./".
  bool matches(std::string_view path) const;

 private:
  std::vector<std::string> segments_;
};

}  // namespace aof::runtime::tools
