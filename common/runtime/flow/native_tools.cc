#include "common/runtime/flow/native_tools.h"

#include <charconv>

#include "common/runtime/flow/native_tool_call.h"
#include "common/runtime/flow/script_node.h"
#include "common/runtime/flow/template.h"

namespace aof::runtime::flow {
namespace {

using Json = nlohmann::json;

Error bad_arg(std::string_view name, const std::string& why) {
  return Error(ErrorCode::kInvalidArgument, "args." + std::string(name) + " " + why);
}

const Json* find_arg(const ToolCall& call, std::string_view name) {
  const auto it = call.args.find(std::string(name));
  return it == call.args.end() || it->is_null() ? nullptr : &*it;
}

Result<ToolOutcome> dispatch(const std::string& tool, const ToolCall& call) {
  if (tool == "docker") return run_docker(call);
  if (tool == "kubectl") return run_kubectl(call);
  if (tool == "http") return run_http_tool(call);
  if (tool == "json") return run_json_tool(call);
  if (tool == "file") return run_file_tool(call);
  return Error(ErrorCode::kInvalidArgument, "unknown native tool '" + tool + "'");
}

}  // namespace

Result<std::string> text_arg(const ToolCall& call, std::string_view name, bool required) {
  const Json* value = find_arg(call, name);
  if (value == nullptr) {
    if (required) return bad_arg(name, "is required");
    return std::string();
  }
  if (value->is_string()) return value->get<std::string>();
  if (value->is_number() || value->is_boolean()) return value->dump();
  return bad_arg(name, "must be a string, not " + std::string(value->type_name()));
}

Result<std::string> name_arg(const ToolCall& call, std::string_view name, bool required) {
  auto text = text_arg(call, name, required);
  if (!text.ok()) return text;
  if (required && text->empty()) return bad_arg(name, "is empty");
  if (text->starts_with("-")) return bad_arg(name, "must not start with '-': \"" + *text + "\"");
  return text;
}

Result<std::int64_t> count_arg(const ToolCall& call, std::string_view name,
                               std::int64_t fallback, std::int64_t max) {
  const Json* value = find_arg(call, name);
  if (value == nullptr) return fallback;
  std::int64_t number = -1;
  if (value->is_number_integer()) {
    number = value->get<std::int64_t>();
  } else if (value->is_string()) {
    const auto& text = value->get_ref<const std::string&>();
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || end != text.data() + text.size()) number = -1;
  }
  if (number < 1 || number > max) {
    return bad_arg(name, "must be a whole number from 1 to " + std::to_string(max));
  }
  return number;
}

Result<bool> flag_arg(const ToolCall& call, std::string_view name, bool fallback) {
  const Json* value = find_arg(call, name);
  if (value == nullptr) return fallback;
  if (value->is_boolean()) return value->get<bool>();
  if (*value == "true") return true;
  if (*value == "false") return false;
  return bad_arg(name, "must be true or false");
}

Result<Json> run_tool_node(const NodeRun& run) {
  const config::ScriptConfig& script = *run.node.config.script_config;
  auto args = expand_json(script.args, run.state);
  if (!args.ok()) return args.error().with_context("args");
  if (!args->is_object()) return Error(ErrorCode::kInvalidArgument, "args must be a map");
  auto process = script_process(run);
  if (!process.ok()) return process.error();
  const ToolCall call{script.action, std::move(*args), std::move(*process), run.options.http,
                      run.options.max_output_bytes};
  auto outcome = dispatch(script.tool, call);
  if (!outcome.ok()) return outcome.error().with_context(script.tool + " " + script.action);
  if (outcome->failure.empty()) return std::move(outcome->output);
  const std::string failure = script.tool + " " + script.action + ": " + outcome->failure;
  if (script.fail_on_error) return Error(ErrorCode::kInternal, failure);
  Json output = outcome->output.is_object() ? std::move(outcome->output) : Json::object();
  output["success"] = false;
  output["error"] = failure;
  return output;
}

}  // namespace aof::runtime::flow
