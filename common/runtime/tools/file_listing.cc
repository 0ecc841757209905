// list_directory and search_files (file_tools.h).
#include <algorithm>
#include <system_error>

#include "common/runtime/tools/checked_tool.h"
#include "common/runtime/tools/file_tools.h"
#include "common/runtime/tools/glob.h"
#include "common/runtime/tools/run_dir.h"

namespace aof::runtime::tools {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxListEntries = 1000;
constexpr std::size_t kMaxSearchVisits = 100000;

// The directory `requested` names, resolved; an error when it is not one.
Result<fs::path> existing_directory(const RunDir& run_dir, const std::string& requested) {
  auto path = run_dir.resolve(requested);
  if (!path.ok()) return path.error();
  std::error_code ec;
  if (!fs::is_directory(*path, ec)) {
    return Error(ErrorCode::kNotFound,
                 "\"" + requested + "\" is not a directory in the run directory");
  }
  return path;
}

const char* type_name(const fs::file_status& status) {
  if (fs::is_symlink(status)) return "symlink";
  if (fs::is_directory(status)) return "directory";
  if (fs::is_regular_file(status)) return "file";
  return "other";
}

bool is_hidden(const fs::path& path) { return path.filename().string().front() == '.'; }

ToolSpec list_spec() {
  return {"list_directory",
          "List a directory of the run directory: entries with path, type and size.",
          {{"type", "object"},
           {"properties",
            {{"path",
              {{"type", "string"},
               {"description", "The directory, relative to the run directory (. for itself)"}}},
             {"recursive", {{"type", "boolean"}, {"description", "Descend into subdirectories"}}},
             {"include_hidden",
              {{"type", "boolean"}, {"description", "Include names starting with '.'"}}},
             {"max_depth",
              {{"type", "integer"},
               {"minimum", 1},
               {"maximum", 20},
               {"description", "Levels to descend when recursive (default 3)"}}}}},
           {"required", {"path"}}}};
}

Json entry_of(const RunDir& run_dir, const fs::directory_entry& entry) {
  std::error_code ec;
  const auto status = entry.symlink_status(ec);
  Json out = {{"path", run_dir.relative(entry.path())}, {"type", type_name(status)}};
  if (fs::is_regular_file(status)) out["size"] = entry.file_size(ec);
  return out;
}

ToolResult list_directory(const Json& arguments, const ToolCallContext& context) {
  auto run_dir = RunDir::open(context.run_dir);
  if (!run_dir.ok()) return failure(run_dir.error().message());
  const std::string requested = arguments["path"].get<std::string>();
  auto dir = existing_directory(*run_dir, requested);
  if (!dir.ok()) return failure(dir.error().message());
  const int depth = arguments.value("recursive", false) ? arguments.value("max_depth", 3) : 1;
  const bool hidden = arguments.value("include_hidden", false);
  std::error_code ec;
  fs::recursive_directory_iterator it(*dir, fs::directory_options::skip_permission_denied, ec);
  Json entries = Json::array();
  bool truncated = false;
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const bool skip = !hidden && is_hidden(it->path());
    if (skip || it.depth() + 1 >= depth) it.disable_recursion_pending();
    if (skip) continue;
    if (entries.size() == kMaxListEntries) {
      truncated = true;
      break;
    }
    entries.push_back(entry_of(*run_dir, *it));
  }
  std::sort(entries.begin(), entries.end(),
            [](const Json& a, const Json& b) { return a["path"] < b["path"]; });
  ToolResult result;
  result.success = true;
  result.data = {{"path", run_dir->relative(*dir)}, {"entries", entries}, {"truncated", truncated}};
  return result;
}

ToolSpec search_spec() {
  return {"search_files",
          "Find files in the run directory by glob pattern: * ? [..] within a name, ** across "
          "directories; a pattern without / matches names at any depth (\"*.yaml\").",
          {{"type", "object"},
           {"properties",
            {{"pattern", {{"type", "string"}, {"description", "Glob, e.g. *.yaml or src/**/*.cc"}}},
             {"path",
              {{"type", "string"},
               {"description", "Directory to search, relative to the run directory (default .)"}}},
             {"max_results",
              {{"type", "integer"},
               {"minimum", 1},
               {"maximum", 10000},
               {"description", "Stop after this many matches (default 100)"}}}}},
           {"required", {"pattern"}}}};
}

// Why `pattern` cannot be used, or "".
std::string pattern_problem(const std::string& pattern) {
  if (pattern.empty()) return "pattern is empty";
  if (pattern.front() == '/') return "pattern must be relative to path, not absolute";
  const std::string padded = "/" + pattern + "/";
  if (padded.find("/../") != std::string::npos) return "pattern cannot climb out with ..";
  return "";
}

ToolResult search_files(const Json& arguments, const ToolCallContext& context) {
  const std::string pattern = arguments["pattern"].get<std::string>();
  if (const auto problem = pattern_problem(pattern); !problem.empty()) return failure(problem);
  auto run_dir = RunDir::open(context.run_dir);
  if (!run_dir.ok()) return failure(run_dir.error().message());
  auto root = existing_directory(*run_dir, arguments.value("path", std::string(".")));
  if (!root.ok()) return failure(root.error().message());
  const GlobPattern glob(pattern);
  const auto max_results = static_cast<std::size_t>(arguments.value("max_results", 100));
  std::vector<std::string> matches;
  std::size_t visits = 0;
  bool truncated = false;
  std::error_code ec;
  fs::recursive_directory_iterator it(*root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (matches.size() == max_results || ++visits > kMaxSearchVisits) {
      truncated = true;
      break;
    }
    if (!glob.matches(it->path().lexically_relative(*root).generic_string())) continue;
    const bool is_dir = it->is_directory(ec) && !it->is_symlink(ec);
    matches.push_back(run_dir->relative(it->path()) + (is_dir ? "/" : ""));
  }
  std::sort(matches.begin(), matches.end());
  ToolResult result;
  result.success = true;
  result.data = {{"pattern", pattern}, {"matches", matches}, {"truncated", truncated}};
  return result;
}

}  // namespace

std::shared_ptr<const Tool> make_list_directory_tool() {
  return make_tool(list_spec(), list_directory, no_outside_effect);
}

std::shared_ptr<const Tool> make_search_files_tool() {
  return make_tool(search_spec(), search_files, no_outside_effect);
}

}  // namespace aof::runtime::tools
