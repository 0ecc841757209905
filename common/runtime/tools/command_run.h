#pragma once
// What the shell tool and the CLI wrappers share: their common arguments (working_dir inside
// the run directory, timeout_secs), running the child through flow::run_process (own process
// group, killed whole on timeout, deadline or cancellation), and the result the model reads.
//
// A command that ran is a successful call whatever its exit code, as in AOF: data holds
// stdout, stderr, exit_code, success (exit code 0) and command, so the model sees a failing
// command's own words. A call that did not run to the end (refused, timed out, cancelled,
// could not start) is a failed call whose error says so. Each stream keeps its first
// kMaxOutputBytes; beyond that `<stream>_truncated` is true and the text ends with a marker
// line, because a model reads the text, not the flags.

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "common/base/result.h"
#include "common/runtime/tools/tool.h"

namespace aof::runtime::tools {

inline constexpr std::size_t kMaxOutputBytes = 256 * 1024;  // per stream
inline constexpr int kMaxTimeoutSecs = 3600;  // the most a model may ask for in timeout_secs

struct CommandRun {
  std::string shell_command;          // run by /bin/sh -c, or
  std::vector<std::string> argv;      // argv[0] an absolute path, no shell
  std::string display;                // the command as reported back: "kubectl get pods"
  std::filesystem::path working_dir;  // resolved, inside the run directory
  std::chrono::seconds timeout{60};   // the call's own limit; the run's deadline may end it first
  bool changed_something = true;      // what the call reports, even when it fails midway
};

// The JSON Schema properties both tool kinds take besides their `command`.
nlohmann::json working_dir_property();
nlohmann::json timeout_property(int default_secs);

// The working directory `arguments` asks for ("working_dir", resolved inside the run
// directory; kInvalidArgument when it escapes or is not a directory), else the flow's
// context.working_dir, else the run directory.
Result<std::filesystem::path> working_dir_of(const nlohmann::json& arguments,
                                             const ToolCallContext& context);

ToolResult run_command(const CommandRun& run, const ToolCallContext& context);

}  // namespace aof::runtime::tools
