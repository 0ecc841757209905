#include "common/runtime/executor.h"

#include "common/runtime/flow/flow_runner.h"

namespace aof::runtime {

Executor::Executor(std::shared_ptr<const config::ResourceSet> resources,
                   config::RuntimeConfig runtime)
    : resources_(std::move(resources)), runtime_(std::move(runtime)) {}

Result<nlohmann::json> Executor::execute(const event::Envelope& envelope,
                                         const ExecutionContext& context,
                                         bool* permanent) const {
  *permanent = true;
  return Error(ErrorCode::kInternal, "executor not wired yet");
}

}  // namespace aof::runtime
