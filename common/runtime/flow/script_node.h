#pragma once
// The Script node with `command` (reference §6.3): templates expanded into the command,
// env values and working_dir; the flow's spec.context applied to the child (its env, then
// KUBECONFIG, K8S_NAMESPACE, K8S_CLUSTER from kubeconfig/namespace/cluster, then the script's
// env on top; a relative working_dir is taken inside context.workingDir). Output:
//   {exit_code, stdout, stderr, output: <stdout per `parse`>, success}
// plus stdout_truncated / stderr_truncated: true when a stream hit max_output_bytes.
// A non-zero exit fails the node (kInternal, retryable) unless fail_on_error is false; then
// the output records it, and a stdout the parse mode rejects gives output null instead of
// an error (a failed command's stdout is not expected to parse).

#include <nlohmann/json.hpp>

#include "common/base/result.h"
#include "common/runtime/flow/nodes.h"

namespace aof::runtime::flow {

// Requires node.config.script_config with a command (run_node checks). Errors carry no
// node prefix; run_node adds it.
Result<nlohmann::json> run_script_node(const NodeRun& run);

}  // namespace aof::runtime::flow
