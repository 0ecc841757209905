#pragma once
// What the tool tests share: a run directory per test, a call through the Tool interface,
// and a look at whether a child process is gone.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/runtime/tools/checked_tool.h"
#include "tests/support/temp_dir.h"

namespace aof::runtime::tools::testing {

// A fresh run directory (removed at the end of the test) and the context of a call in it.
struct RunDirFixture {
  aof::testing::TempDir dir;
  ToolCallContext context;
  RunDirFixture() { context.run_dir = dir.path(); }

  ToolResult call(const Tool& tool, const Json& arguments) const {
    return tool.call(arguments, context);
  }
  bool exists(const std::string& relative) const {
    return std::filesystem::exists(std::filesystem::symlink_status(dir.path() / relative));
  }
};

// The error of a call that must have failed.
inline std::string error_of(const ToolResult& result) {
  CHECK_FALSE(result.success);
  return result.error;
}

// Whether process `pid` is gone (or a zombie nobody reaped yet: killed all the same).
inline bool process_gone(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto paren = line.rfind(')');
  return paren != std::string::npos && line.size() > paren + 2 && line[paren + 2] == 'Z';
}

// The first number in the file `path`, or -1.
inline int read_pid(const std::filesystem::path& path) {
  std::ifstream in(path);
  int pid = -1;
  in >> pid;
  return pid;
}

}  // namespace aof::runtime::tools::testing
