#pragma once
// A flow's spec.context (reference §1.3) as the environment of what the run starts: AOF sets
// KUBECONFIG, K8S_NAMESPACE, K8S_CLUSTER and `env` in its own process and changes its working
// directory (racing with every other run); here they are handed to each child process only —
// Script nodes' commands, and the shell and CLI tools of the run's agents.

#include <map>
#include <string>

#include "common/base/result.h"
#include "common/config/resources.h"
#include "common/runtime/flow/flow_state.h"

namespace aof::runtime::flow {

struct RunContext {
  std::map<std::string, std::string> env;  // added to (overriding) the child's environment
  std::string working_dir;                 // workingDir, expanded; "" = none
};

// The context with its values expanded against `state`. Errors (kInvalidArgument) name the
// field: a bad variable name ("context.env: bad variable name \"A=B\""), an expansion over
// its limit.
Result<RunContext> run_context(const config::FlowContext& context, const FlowState& state);

// Adds `from` to `*env` with each value expanded against `state`; `field` names them in
// errors ("env", "context.env").
Status add_expanded_env(const std::map<std::string, std::string>& from, const std::string& field,
                        const FlowState& state, std::map<std::string, std::string>* env);

}  // namespace aof::runtime::flow
