// The json and file native tools (native_tools.h): no program, no network.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include "common/event/body_codec.h"
#include "common/runtime/flow/native_tool_call.h"

namespace aof::runtime::flow {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr std::size_t kMaxListEntries = 10'000;

ToolOutcome failed(Json output, std::string why) {
  return ToolOutcome{std::move(output), std::move(why)};
}

Error no_action(const std::string& tool, const std::string& action, const char* actions) {
  return Error(ErrorCode::kInvalidArgument,
               tool + " has no action \"" + action + "\"; it has " + actions);
}

// ---- json ----

// A JSON value from an arg: structured values as they are, strings parsed. The outcome's
// failure says why a string is not JSON.
ToolOutcome json_value(const Json& arg, const std::string& what) {
  if (!arg.is_string()) return ToolOutcome{arg, ""};
  Json parsed = Json::parse(arg.get_ref<const std::string&>(), nullptr, false);
  if (parsed.is_discarded()) return failed(Json::object(), what + " is not JSON");
  return ToolOutcome{std::move(parsed), ""};
}

Result<ToolOutcome> json_extract(const ToolCall& call) {
  auto path = text_arg(call, "path", true);
  if (!path.ok()) return path.error();
  ToolOutcome from = json_value(call.args.value("from", Json()), "args.from");
  if (!from.failure.empty()) return from;
  const Json* current = &from.output;
  std::size_t start = 0;
  while (current != nullptr && start < path->size()) {
    const std::size_t end = std::min(path->find('.', start), path->size());
    const std::string key = path->substr(start, end - start);
    start = end + 1;
    if (current->is_object()) {
      const auto it = current->find(key);
      current = it == current->end() ? nullptr : &*it;
    } else if (current->is_array() && !key.empty() &&
               std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
               key.size() < 10 && std::stoul(key) < current->size()) {
      current = &(*current)[std::stoul(key)];
    } else {
      current = nullptr;
    }
  }
  return ToolOutcome{current == nullptr ? Json() : *current, ""};
}

Result<ToolOutcome> json_merge(const ToolCall& call) {
  const Json sources = call.args.value("sources", Json());
  if (!sources.is_array()) {
    return Error(ErrorCode::kInvalidArgument, "args.sources must be a list of objects");
  }
  Json merged = Json::object();
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const std::string what = "args.sources[" + std::to_string(i) + "]";
    ToolOutcome source = json_value(sources[i], what);
    if (!source.failure.empty()) return source;
    if (!source.output.is_object()) {
      return failed(Json::object(), what + " is " + source.output.type_name() + ", not an object");
    }
    for (auto& [key, value] : source.output.items()) merged[key] = std::move(value);
  }
  return ToolOutcome{std::move(merged), ""};
}

// ---- file ----

// The path an arg names: relative paths are taken in the node's working directory.
Result<fs::path> path_arg(const ToolCall& call) {
  auto text = text_arg(call, "path", true);
  if (!text.ok()) return text.error();
  if (text->empty()) return Error(ErrorCode::kInvalidArgument, "args.path is empty");
  fs::path path(*text);
  if (path.is_relative() && !call.process.working_dir.empty()) {
    path = fs::path(call.process.working_dir) / path;
  }
  return path;
}

std::string reason(int error) { return std::strerror(error); }

// Reads a regular file whole, up to `max_bytes`. Opened non-blocking and checked with fstat
// first, so a FIFO or a device (/dev/zero) is refused instead of hanging or running on.
ToolOutcome file_read(const fs::path& path, std::size_t max_bytes) {
  const Json where = {{"path", path.string()}};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return failed(where, "cannot read " + path.string() + ": " + reason(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return failed(where, path.string() + " is not a regular file");
  }
  std::string content(max_bytes + 1, '\0');
  std::size_t size = 0;
  int error = 0;
  while (size < content.size()) {
    const ssize_t n = ::read(fd, content.data() + size, content.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    size += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (error != 0) return failed(where, "cannot read " + path.string() + ": " + reason(error));
  if (size > max_bytes) {
    return failed(where, path.string() + " is larger than the " + std::to_string(max_bytes) +
                             " bytes a node may read");
  }
  content.resize(size);
  return ToolOutcome{Json{{"path", path.string()},
                          {"content", event::replace_invalid_utf8(std::move(content))},
                          {"size", size}},
                     ""};
}

// Writes to a temporary file next to `path`, syncs it and renames it over `path`: a crash
// leaves the old file or the new one, never half of it.
ToolOutcome file_write(const fs::path& path, const std::string& content) {
  const Json where = {{"path", path.string()}};
  const std::string temporary = path.string() + ".aof-" + std::to_string(::getpid()) + "-" +
                                std::to_string(std::random_device{}());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return failed(where, "cannot write " + path.string() + ": " + reason(errno));
  std::size_t written = 0;
  int error = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno;
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    return failed(where, "cannot write " + path.string() + ": " + reason(error));
  }
  return ToolOutcome{Json{{"path", path.string()}, {"written", true}, {"size", content.size()}},
                     ""};
}

ToolOutcome file_list(const fs::path& path) {
  const Json where = {{"path", path.string()}};
  std::error_code ec;
  fs::directory_iterator it(path, ec);
  if (ec) return failed(where, "cannot list " + path.string() + ": " + ec.message());
  std::vector<fs::directory_entry> found;
  bool truncated = false;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) return failed(where, "cannot list " + path.string() + ": " + ec.message());
    if (found.size() == kMaxListEntries) {
      truncated = true;
      break;
    }
    found.push_back(*it);
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.path().filename() < b.path().filename();
  });
  Json entries = Json::array();
  for (const auto& entry : found) {
    std::error_code type_ec;
    entries.push_back({{"name", entry.path().filename().string()},
                       {"type", entry.is_directory(type_ec) ? "directory" : "file"},
                       {"path", entry.path().string()}});
  }
  Json output = {{"path", path.string()}, {"entries", entries}, {"count", entries.size()}};
  if (truncated) output["truncated"] = true;
  return ToolOutcome{std::move(output), ""};
}

}  // namespace

Result<ToolOutcome> run_json_tool(const ToolCall& call) {
  if (call.action == "parse") {
    const auto input = call.args.find("input");
    if (input == call.args.end() || input->is_null()) {
      return Error(ErrorCode::kInvalidArgument, "args.input is required");
    }
    return json_value(*input, "args.input");
  }
  if (call.action == "extract") {
    if (!call.args.contains("from")) {
      return Error(ErrorCode::kInvalidArgument, "args.from is required");
    }
    return json_extract(call);
  }
  if (call.action == "merge") return json_merge(call);
  return no_action("json", call.action, "parse, extract, merge");
}

Result<ToolOutcome> run_file_tool(const ToolCall& call) {
  static const std::vector<std::string> kActions = {"read", "write", "exists", "list"};
  if (std::find(kActions.begin(), kActions.end(), call.action) == kActions.end()) {
    return no_action("file", call.action, "read, write, exists, list");
  }
  auto path = path_arg(call);
  if (!path.ok()) return path.error();
  if (call.action == "read") return file_read(*path, call.max_output_bytes);
  if (call.action == "write") {
    const auto content = call.args.find("content");
    if (content == call.args.end() || content->is_null()) {
      return Error(ErrorCode::kInvalidArgument, "args.content is required");
    }
    return file_write(*path, content->is_string() ? content->get<std::string>() : content->dump());
  }
  if (call.action == "exists") {
    std::error_code ec;
    return ToolOutcome{Json{{"path", path->string()}, {"exists", fs::exists(*path, ec)}}, ""};
  }
  return file_list(*path);
}

}  // namespace aof::runtime::flow
