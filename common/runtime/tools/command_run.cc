#include "common/runtime/tools/command_run.h"

#include "common/event/body_codec.h"
#include "common/runtime/flow/process.h"
#include "common/runtime/tools/checked_tool.h"
#include "common/runtime/tools/run_dir.h"

namespace aof::runtime::tools {
namespace {

std::string captured_text(std::string text, bool truncated) {
  text = event::replace_invalid_utf8(std::move(text));
  if (truncated) {
    text += "\n[output truncated: only the first " + std::to_string(kMaxOutputBytes / 1024) +
            " KiB are shown]";
  }
  return text;
}

ToolResult completed(const CommandRun& run, flow::ProcessResult process) {
  ToolResult result;
  result.success = true;
  result.changed_something = run.changed_something;
  result.data = {
      {"stdout", captured_text(std::move(process.stdout_text), process.stdout_truncated)},
      {"stderr", captured_text(std::move(process.stderr_text), process.stderr_truncated)},
      {"exit_code", process.exit_code},
      {"success", process.exit_code == 0},
      {"command", run.display}};
  if (process.stdout_truncated) result.data["stdout_truncated"] = true;
  if (process.stderr_truncated) result.data["stderr_truncated"] = true;
  return result;
}

// What run_process's errors mean to the model.
std::string stopped_because(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kTimeout:
      return error.message() == "deadline passed"
                 ? "the run's deadline passed before the command finished; it was killed"
                 : "the command " + error.message() +
                       " and was killed; ask for a larger "
                       "timeout_secs or a smaller command";
    case ErrorCode::kUnavailable:
      return "the run was cancelled (the worker is shutting down); the command was killed";
    default:
      return "the command could not be started: " + error.message();
  }
}

}  // namespace

nlohmann::json working_dir_property() {
  return {{"type", "string"},
          {"description",
           "Directory to run in, relative to the run directory (default: the run directory)"}};
}

nlohmann::json timeout_property(int default_secs) {
  return {{"type", "integer"},
          {"minimum", 1},
          {"maximum", kMaxTimeoutSecs},
          {"description",
           "Seconds before the command is killed (default " + std::to_string(default_secs) + ")"}};
}

Result<std::filesystem::path> working_dir_of(const nlohmann::json& arguments,
                                             const ToolCallContext& context) {
  // The flow's workingDir (its author's, not the model's) unless the model names a directory.
  if (!context.working_dir.empty() && !arguments.contains("working_dir")) {
    return context.working_dir;
  }
  auto run_dir = RunDir::open(context.run_dir);
  if (!run_dir.ok()) return run_dir.error();
  const std::string requested = arguments.value("working_dir", std::string("."));
  auto dir = run_dir->resolve(requested);
  if (!dir.ok()) return dir.error().with_context("working_dir");
  std::error_code ec;
  if (!std::filesystem::is_directory(*dir, ec)) {
    return Error(ErrorCode::kInvalidArgument,
                 "working_dir \"" + requested + "\" is not a directory in the run directory");
  }
  return dir;
}

ToolResult run_command(const CommandRun& run, const ToolCallContext& context) {
  if (std::chrono::system_clock::now() >= context.deadline) {
    return failure("the run's deadline has passed; the command was not started");
  }
  if (context.cancelled != nullptr && context.cancelled->load()) {
    return failure(
        "the run was cancelled (the worker is shutting down); the command was not "
        "started");
  }
  flow::ProcessSpec spec;
  spec.command = run.shell_command;
  spec.argv = run.argv;
  spec.working_dir = run.working_dir.string();
  spec.extra_env = context.env;
  spec.timeout = std::chrono::duration_cast<Millis>(run.timeout);
  spec.deadline = context.deadline;
  spec.cancelled = context.cancelled;
  spec.max_output_bytes = kMaxOutputBytes;
  auto process = flow::run_process(spec);
  if (!process.ok()) {
    // A command that was killed midway may have done part of its work.
    const bool started = process.error().code() != ErrorCode::kInternal;
    return failure(stopped_because(process.error()), started && run.changed_something);
  }
  return completed(run, std::move(*process));
}

}  // namespace aof::runtime::tools
