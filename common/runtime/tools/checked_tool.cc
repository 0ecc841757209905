#include "common/runtime/tools/checked_tool.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <exception>
#include <utility>

namespace aof::runtime::tools {
namespace {

class CheckedTool final : public Tool {
 public:
  CheckedTool(ToolSpec spec, RunFunction run, EffectTest effect)
      : spec_(std::move(spec)), run_(std::move(run)), effect_(std::move(effect)) {}

  const ToolSpec& spec() const override { return spec_; }

  bool has_outside_effect(const Json& arguments) const override {
    try {
      auto checked = check_arguments(spec_, arguments);
      if (!checked.ok()) return false;
      return !effect_ || effect_(*checked);
    } catch (...) {
      return true;  // cannot tell: journal it
    }
  }

  ToolResult call(const Json& arguments, const ToolCallContext& context) const override {
    const auto start = std::chrono::steady_clock::now();
    ToolResult result = guarded_call(arguments, context);
    result.execution_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count();
    return result;
  }

 private:
  ToolResult guarded_call(const Json& arguments, const ToolCallContext& context) const {
    try {
      auto checked = check_arguments(spec_, arguments);
      if (!checked.ok()) return failure(checked.error().message());
      return run_(*checked, context);
    } catch (const std::exception& e) {
      return failure(spec_.name + " failed unexpectedly: " + e.what());
    } catch (...) {
      return failure(spec_.name + " failed unexpectedly");
    }
  }

  ToolSpec spec_;
  RunFunction run_;
  EffectTest effect_;  // empty: every checked call
};

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

std::string names_of(const Json& properties) {
  std::string names;
  for (const auto& [name, schema] : properties.items()) names += (names.empty() ? "" : ", ") + name;
  return names;
}

std::string shown(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 60) {
    text.resize(57);
    text.append("...");
  }
  return text;
}

// An integral float (30.0) becomes an integer; anything else is left as it is.
void normalise_integer(Json& value) {
  if (!value.is_number_float()) return;
  const double d = value.get<double>();
  if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 9e15) {
    value = static_cast<std::int64_t>(d);
  }
}

bool has_type(const Json& value, const std::string& type) {
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  return true;
}

Status check_bounds(const std::string& name, const Json& value, const Json& schema) {
  if (!value.is_number()) return ok_status();
  if (schema.contains("minimum") && value < schema["minimum"]) {
    return Error(ErrorCode::kInvalidArgument, "argument " + quoted(name) +
                                                  " must be >= " + schema["minimum"].dump() +
                                                  ", got " + shown(value));
  }
  if (schema.contains("maximum") && value > schema["maximum"]) {
    return Error(ErrorCode::kInvalidArgument, "argument " + quoted(name) +
                                                  " must be <= " + schema["maximum"].dump() +
                                                  ", got " + shown(value));
  }
  return ok_status();
}

Status check_value(const std::string& name, Json& value, const Json& schema) {
  const std::string type = schema.value("type", "");
  if (type == "integer") normalise_integer(value);
  if (!has_type(value, type)) {
    const std::string article =
        type == "integer" || type == "object" || type == "array" ? "an " : "a ";
    return Error(ErrorCode::kInvalidArgument, "argument " + quoted(name) + " must be " + article +
                                                  type + ", got " + shown(value));
  }
  if (schema.contains("enum") &&
      std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end()) {
    std::string choices;
    for (const auto& choice : schema["enum"])
      choices += (choices.empty() ? "" : ", ") + shown(choice);
    return Error(ErrorCode::kInvalidArgument, "argument " + quoted(name) + " must be one of " +
                                                  choices + ", got " + shown(value));
  }
  return check_bounds(name, value, schema);
}

}  // namespace

std::shared_ptr<const Tool> make_tool(ToolSpec spec, RunFunction run, EffectTest effect) {
  return std::make_shared<CheckedTool>(std::move(spec), std::move(run), std::move(effect));
}

Result<Json> check_arguments(const ToolSpec& spec, const Json& arguments) {
  if (arguments.is_null()) return check_arguments(spec, Json::object());
  if (!arguments.is_object()) {
    return Error(ErrorCode::kInvalidArgument,
                 "arguments must be a JSON object, got " + shown(arguments));
  }
  const Json properties = spec.parameters.value("properties", Json::object());
  Json checked = Json::object();
  for (const auto& [name, value] : arguments.items()) {
    if (value.is_null()) continue;
    if (!properties.contains(name)) {
      return Error(ErrorCode::kInvalidArgument, "unknown argument " + quoted(name) + "; " +
                                                    spec.name + " takes " + names_of(properties));
    }
    Json copy = value;
    if (auto s = check_value(name, copy, properties[name]); !s.ok()) return s.error();
    checked[name] = std::move(copy);
  }
  for (const auto& name : spec.parameters.value("required", Json::array())) {
    if (!checked.contains(name.get<std::string>())) {
      return Error(ErrorCode::kInvalidArgument,
                   "missing required argument " + quoted(name.get<std::string>()));
    }
  }
  return checked;
}

ToolResult failure(std::string error, bool changed_something) {
  ToolResult result;
  result.success = false;
  result.error = std::move(error);
  result.changed_something = changed_something;
  return result;
}

}  // namespace aof::runtime::tools
