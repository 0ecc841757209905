#include "common/runtime/tools/shell_tool.h"

#include "common/runtime/tools/checked_tool.h"
#include "common/runtime/tools/command_run.h"
#include "common/runtime/tools/command_words.h"

namespace aof::runtime::tools {
namespace {

constexpr int kDefaultTimeoutSecs = 60;

ToolSpec shell_spec(const CommandAllowList& allowed) {
  std::string description =
      "Run a command with /bin/sh -c in the run directory. Returns stdout, stderr, exit_code "
      "and success.";
  if (!allowed.allows_everything()) {
    description += " Only these commands are allowed: " + allowed.describe() +
                   ". Run one command per call: no pipes, ;, &&, redirections or $(...).";
  }
  return ToolSpec{"shell",
                  description,
                  {{"type", "object"},
                   {"properties",
                    {{"command", {{"type", "string"}, {"description", "The shell command to run"}}},
                     {"working_dir", working_dir_property()},
                     {"timeout_secs", timeout_property(kDefaultTimeoutSecs)}}},
                   {"required", {"command"}}}};
}

// Why `command` may not run, or "" when it may.
std::string refusal(const std::string& command, const CommandAllowList& allowed) {
  if (const auto pattern = blocked_pattern_in(command); !pattern.empty()) {
    return "the command contains the blocked pattern \"" + pattern + "\"; it was not run";
  }
  if (allowed.allows_everything()) return "";
  const std::string rule = "this agent's shell allows only: " + allowed.describe();
  auto words = split_command_words(command);
  if (!words.ok()) return words.error().message() + "; " + rule + ", one command per call";
  if (words->empty()) return "the command is empty";
  if (!allowed.allows(*words)) {
    return "\"" + join_command_words(*words) + "\" is not allowed; " + rule;
  }
  return "";
}

ToolResult run_shell(const CommandAllowList& allowed, const Json& arguments,
                     const ToolCallContext& context) {
  const std::string command = arguments["command"].get<std::string>();
  if (const auto why = refusal(command, allowed); !why.empty()) return failure(why);
  auto dir = working_dir_of(arguments, context);
  if (!dir.ok()) return failure(dir.error().message());
  CommandRun run;
  run.shell_command = command;
  run.display = command;
  run.working_dir = std::move(*dir);
  run.timeout = std::chrono::seconds(arguments.value("timeout_secs", kDefaultTimeoutSecs));
  return run_command(run, context);
}

}  // namespace

std::shared_ptr<const Tool> make_shell_tool(ShellToolOptions options) {
  auto spec = shell_spec(options.allowed);
  return make_tool(std::move(spec), [allowed = std::move(options.allowed)](
                                        const Json& arguments, const ToolCallContext& context) {
    return run_shell(allowed, arguments, context);
  });
}

}  // namespace aof::runtime::tools
