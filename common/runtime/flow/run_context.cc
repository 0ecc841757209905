#include "common/runtime/flow/run_context.h"

#include <utility>

#include "common/runtime/flow/template.h"

namespace aof::runtime::flow {

namespace {

Result<std::string> expand_field(const std::string& field, const std::string& text,
                                 const FlowState& state) {
  auto expanded = expand_template(text, state);
  if (!expanded.ok()) return expanded.error().with_context(field);
  return expanded;
}

}  // namespace

Status add_expanded_env(const std::map<std::string, std::string>& from, const std::string& field,
                        const FlowState& state, std::map<std::string, std::string>* env) {
  for (const auto& [name, value] : from) {
    if (name.empty() || name.find('=') != std::string::npos) {
      return Error(ErrorCode::kInvalidArgument, field + ": bad variable name \"" + name + "\"");
    }
    auto expanded = expand_field(field + "." + name, value, state);
    if (!expanded.ok()) return expanded.error();
    (*env)[name] = std::move(*expanded);
  }
  return ok_status();
}

Result<RunContext> run_context(const config::FlowContext& context, const FlowState& state) {
  RunContext out;
  if (auto s = add_expanded_env(context.env, "context.env", state, &out.env); !s.ok()) {
    return s.error();
  }
  const std::pair<const char*, const std::string*> named[] = {
      {"KUBECONFIG", &context.kubeconfig},
      {"K8S_NAMESPACE", &context.namespace_},
      {"K8S_CLUSTER", &context.cluster}};
  for (const auto& [name, value] : named) {
    if (value->empty()) continue;
    auto expanded = expand_field(std::string("context.") + name, *value, state);
    if (!expanded.ok()) return expanded.error();
    out.env[name] = std::move(*expanded);
  }
  auto dir = expand_field("context.workingDir", context.working_dir, state);
  if (!dir.ok()) return dir.error();
  out.working_dir = std::move(*dir);
  return out;
}

}  // namespace aof::runtime::flow
