// read_file and write_file (file_tools.h).
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "common/event/body_codec.h"
#include "common/runtime/tools/checked_tool.h"
#include "common/runtime/tools/file_tools.h"
#include "common/runtime/tools/run_dir.h"

namespace aof::runtime::tools {
namespace fs = std::filesystem;
namespace {

constexpr std::int64_t kDefaultReadBytes = 1 << 20;
constexpr std::int64_t kMaxReadBytes = 16 << 20;

Json path_property(const std::string& what) {
  return {{"type", "string"}, {"description", what + ", relative to the run directory"}};
}

ToolSpec read_spec() {
  return {"read_file",
          "Read a file from the run directory. Returns its content, size and whether it was "
          "cut at max_bytes.",
          {{"type", "object"},
           {"properties",
            {{"path", path_property("The file")},
             {"encoding",
              {{"type", "string"},
               {"enum", {"utf-8", "base64"}},
               {"description", "utf-8 (default) for text, base64 for binary files"}}},
             {"max_bytes",
              {{"type", "integer"},
               {"minimum", 1},
               {"maximum", kMaxReadBytes},
               {"description", "Read at most this many bytes (default 1048576)"}}}}},
           {"required", {"path"}}}};
}

// The file `requested` names, resolved; an error when it is not a regular file.
Result<fs::path> existing_file(const RunDir& run_dir, const std::string& requested) {
  auto path = run_dir.resolve(requested);
  if (!path.ok()) return path.error();
  std::error_code ec;
  const auto status = fs::status(*path, ec);
  if (!fs::exists(status)) {
    return Error(ErrorCode::kNotFound, "no file \"" + requested + "\" in the run directory");
  }
  if (fs::is_directory(status)) {
    return Error(ErrorCode::kInvalidArgument,
                 "\"" + requested + "\" is a directory; use list_directory");
  }
  if (!fs::is_regular_file(status)) {
    return Error(ErrorCode::kInvalidArgument, "\"" + requested + "\" is not a regular file");
  }
  return path;
}

Result<std::string> read_prefix(const fs::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kUnavailable, std::strerror(errno));
  std::string bytes(max_bytes, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(max_bytes));
  if (in.bad()) return Error(ErrorCode::kUnavailable, "read error");
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

ToolResult read_file(const Json& arguments, const ToolCallContext& context) {
  auto run_dir = RunDir::open(context.run_dir);
  if (!run_dir.ok()) return failure(run_dir.error().message());
  const std::string requested = arguments["path"].get<std::string>();
  auto path = existing_file(*run_dir, requested);
  if (!path.ok()) return failure(path.error().message());
  std::error_code ec;
  const auto size = fs::file_size(*path, ec);
  const auto max_bytes = arguments.value("max_bytes", kDefaultReadBytes);
  auto bytes = read_prefix(*path, static_cast<std::size_t>(max_bytes));
  if (!bytes.ok()) return failure("cannot read \"" + requested + "\": " + bytes.error().message());
  const std::string encoding = arguments.value("encoding", std::string("utf-8"));
  ToolResult result;
  result.success = true;
  result.data = {{"path", run_dir->relative(*path)},
                 {"size", size},
                 {"bytes_read", bytes->size()},
                 {"truncated", bytes->size() < size},
                 {"encoding", encoding}};
  if (encoding == "base64") {
    result.data["content"] = event::base64_encode(*bytes);
  } else {
    const bool valid = event::is_valid_utf8(*bytes);
    result.data["content"] = event::replace_invalid_utf8(std::move(*bytes));
    if (!valid) result.data["invalid_utf8_replaced"] = true;
  }
  return result;
}

ToolSpec write_spec() {
  return {"write_file",
          "Write (or append to) a file in the run directory.",
          {{"type", "object"},
           {"properties",
            {{"path", path_property("The file")},
             {"content", {{"type", "string"}, {"description", "The text to write"}}},
             {"append", {{"type", "boolean"}, {"description", "Append instead of replacing"}}},
             {"create_dirs",
              {{"type", "boolean"},
               {"description", "Create missing parent directories (default true)"}}}}},
           {"required", {"path", "content"}}}};
}

// The resolved target of a write, its parent created when allowed.
Result<fs::path> write_target(const RunDir& run_dir, const std::string& requested,
                              bool create_dirs) {
  auto path = run_dir.resolve(requested);
  if (!path.ok()) return path.error();
  std::error_code ec;
  if (fs::is_directory(*path, ec)) {
    return Error(ErrorCode::kInvalidArgument, "\"" + requested + "\" is a directory");
  }
  const fs::path parent = path->parent_path();
  if (fs::is_directory(parent, ec)) return path;
  if (!create_dirs) {
    return Error(ErrorCode::kNotFound, "the directory of \"" + requested +
                                           "\" does not exist; set create_dirs to create it");
  }
  if (!fs::create_directories(parent, ec) && ec) {
    return Error(ErrorCode::kUnavailable,
                 "cannot create the directory of \"" + requested + "\": " + ec.message());
  }
  return path;
}

ToolResult write_file(const Json& arguments, const ToolCallContext& context) {
  auto run_dir = RunDir::open(context.run_dir);
  if (!run_dir.ok()) return failure(run_dir.error().message());
  const std::string requested = arguments["path"].get<std::string>();
  const bool append = arguments.value("append", false);
  auto path = write_target(*run_dir, requested, arguments.value("create_dirs", true));
  if (!path.ok()) return failure(path.error().message());
  const std::string& content = arguments["content"].get_ref<const std::string&>();
  std::ofstream out(*path, std::ios::binary | (append ? std::ios::app : std::ios::trunc));
  if (out) out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) {
    return failure("cannot write \"" + requested + "\": " + std::strerror(errno), true);
  }
  ToolResult result;
  result.success = true;
  result.changed_something = true;
  result.data = {
      {"path", run_dir->relative(*path)}, {"bytes_written", content.size()}, {"appended", append}};
  return result;
}

}  // namespace

std::shared_ptr<const Tool> make_read_file_tool() {
  return make_tool(read_spec(), read_file, no_outside_effect);
}

// Its writes stay in the run directory, which a redelivery gets afresh: not journaled, so the
// run that follows it finds the file again.
std::shared_ptr<const Tool> make_write_file_tool() {
  return make_tool(write_spec(), write_file, no_outside_effect);
}

}  // namespace aof::runtime::tools
