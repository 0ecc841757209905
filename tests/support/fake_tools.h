#pragma once
// Test-only tools for the agent runtime: one that answers fixed data (or fails) and records
// its calls, and one that runs a test's function. The built-in tools live in common/runtime/tools/.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/runtime/tools/tool.h"

namespace aof::testing {

class FixedTool final : public runtime::tools::Tool {
 public:
  FixedTool(std::string name, nlohmann::json data, bool success = true, std::string error = "")
      : data_(std::move(data)), success_(success), error_(std::move(error)) {
    spec_.name = std::move(name);
    spec_.description = "returns fixed data for tests";
    spec_.parameters = {{"type", "object"}, {"properties", {{"q", {{"type", "string"}}}}}};
  }
  const runtime::tools::ToolSpec& spec() const override { return spec_; }
  runtime::tools::ToolResult call(const nlohmann::json& arguments,
                                  const runtime::tools::ToolCallContext& context) const override {
    {
      std::lock_guard lock(mu_);
      calls_.push_back(arguments);
      run_dirs_.push_back(context.run_dir.string());
    }
    runtime::tools::ToolResult result;
    result.success = success_;
    result.data = success_ ? data_ : nlohmann::json();
    result.error = error_;
    return result;
  }
  std::vector<nlohmann::json> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::vector<std::string> run_dirs() const {
    std::lock_guard lock(mu_);
    return run_dirs_;
  }

 private:
  runtime::tools::ToolSpec spec_;
  nlohmann::json data_;
  bool success_;
  std::string error_;
  mutable std::mutex mu_;
  mutable std::vector<nlohmann::json> calls_;  // guarded by mu_
  mutable std::vector<std::string> run_dirs_;  // guarded by mu_
};

// A tool whose call runs a test's function (rendezvous, clocks, flags). `outside_effect` is
// what has_outside_effect answers (whether the effect journal keeps its calls).
class FunctionTool final : public runtime::tools::Tool {
 public:
  using Body = std::function<runtime::tools::ToolResult(const nlohmann::json&,
                                                        const runtime::tools::ToolCallContext&)>;
  FunctionTool(std::string name, Body body, bool outside_effect = true)
      : body_(std::move(body)), outside_effect_(outside_effect) {
    spec_.name = std::move(name);
    spec_.description = "runs a test function";
  }
  const runtime::tools::ToolSpec& spec() const override { return spec_; }
  runtime::tools::ToolResult call(const nlohmann::json& arguments,
                                  const runtime::tools::ToolCallContext& context) const override {
    return body_(arguments, context);
  }
  bool has_outside_effect(const nlohmann::json&) const override { return outside_effect_; }

 private:
  runtime::tools::ToolSpec spec_;
  Body body_;
  bool outside_effect_;
};

inline std::shared_ptr<FixedTool> fixed_tool(std::string name, nlohmann::json data) {
  return std::make_shared<FixedTool>(std::move(name), std::move(data));
}

}  // namespace aof::testing
