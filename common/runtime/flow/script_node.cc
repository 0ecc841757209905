#include "common/runtime/flow/script_node.h"

#include <cctype>
#include <filesystem>
#include <map>
#include <string>
#include <utility>

#include "common/event/body_codec.h"
#include "common/runtime/flow/process.h"
#include "common/runtime/flow/run_context.h"
#include "common/runtime/flow/stdout_parse.h"
#include "common/runtime/flow/template.h"

namespace aof::runtime::flow {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kStderrTailBytes = 512;

Result<std::string> expand_field(const std::string& field, const std::string& text,
                                 const FlowState& state) {
  auto expanded = expand_template(text, state);
  if (!expanded.ok()) return expanded.error().with_context(field);
  return expanded;
}

Result<Json> output_object(const config::ScriptConfig& script, ProcessResult process) {
  const bool success = process.exit_code == 0;
  process.stdout_text = event::replace_invalid_utf8(std::move(process.stdout_text));
  process.stderr_text = event::replace_invalid_utf8(std::move(process.stderr_text));
  auto parsed = parse_stdout(script.parse, script.pattern, process.stdout_text);
  if (!parsed.ok() && (success || parsed.error().code() == ErrorCode::kInvalidArgument)) {
    return parsed.error().with_context("parse " + script.parse);
  }
  Json output = {{"exit_code", process.exit_code},
                 {"stdout", std::move(process.stdout_text)},
                 {"stderr", std::move(process.stderr_text)},
                 {"output", parsed.ok() ? std::move(*parsed) : Json()},
                 {"success", success}};
  if (process.stdout_truncated) output["stdout_truncated"] = true;
  if (process.stderr_truncated) output["stderr_truncated"] = true;
  return output;
}

}  // namespace

Result<ProcessSpec> script_process(const NodeRun& run) {
  const config::ScriptConfig& script = *run.node.config.script_config;
  if (script.timeout_seconds <= 0) {
    return Error(ErrorCode::kInvalidArgument, "timeout_seconds must be > 0");
  }
  ProcessSpec spec;
  spec.timeout = std::chrono::seconds(script.timeout_seconds);
  spec.deadline = run.deadline;
  spec.cancelled = run.options.cancelled;
  spec.max_output_bytes = run.options.max_output_bytes;
  std::string base_dir;
  if (run.flow.context) {
    auto context = run_context(*run.flow.context, run.state);
    if (!context.ok()) return context.error();
    spec.extra_env = std::move(context->env);
    base_dir = std::move(context->working_dir);
  }
  if (auto s = add_expanded_env(script.env, "env", run.state, &spec.extra_env); !s.ok()) {
    return s.error();
  }
  auto dir = expand_field("working_dir", script.working_dir, run.state);
  if (!dir.ok()) return dir.error();
  spec.working_dir = (std::filesystem::path(base_dir) / *dir).string();
  return spec;
}

std::string stderr_tail(std::string_view text) {
  std::string_view view = text;
  while (!view.empty() && std::isspace(static_cast<unsigned char>(view.back()))) {
    view.remove_suffix(1);
  }
  if (view.size() <= kStderrTailBytes) return std::string(view);
  std::size_t start = view.size() - kStderrTailBytes;
  while (start < view.size() && (static_cast<unsigned char>(view[start]) & 0xC0) == 0x80) {
    ++start;  // not in the middle of a UTF-8 sequence
  }
  return "..." + std::string(view.substr(start));
}

Result<Json> run_script_node(const NodeRun& run) {
  const config::ScriptConfig& script = *run.node.config.script_config;
  auto spec = script_process(run);
  if (!spec.ok()) return spec.error();
  auto command = expand_field("command", script.command, run.state);
  if (!command.ok()) return command.error();
  spec->command = std::move(*command);
  auto process = run_process(*spec);
  if (!process.ok()) return process.error();
  if (process->exit_code != 0 && script.fail_on_error) {
    const std::string tail = stderr_tail(event::replace_invalid_utf8(process->stderr_text));
    return Error(ErrorCode::kInternal, "exit code " + std::to_string(process->exit_code) +
                                           (tail.empty() ? "" : ": " + tail));
  }
  return output_object(script, std::move(*process));
}

}  // namespace aof::runtime::flow
