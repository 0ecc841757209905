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

#include <string>
#include <string_view>

#include "common/base/result.h"
#include "common/runtime/flow/nodes.h"
#include "common/runtime/flow/process.h"

namespace aof::runtime::flow {

// Requires node.config.script_config with a command (run_node checks). Errors carry no
// node prefix; run_node adds it.
Result<nlohmann::json> run_script_node(const NodeRun& run);

// What any program a Script node starts gets (its command, or a native tool's docker or
// kubectl): the environment and working directory above, timeout_seconds, the run's
// deadline, cancellation and output cap. Neither `command` nor `argv` is set. Errors
// (kInvalidArgument) name the field: timeout_seconds, env, working_dir, context.*.
Result<ProcessSpec> script_process(const NodeRun& run);

// The last 512 bytes of a program's stderr, trailing blanks trimmed and "..." in front when
// cut (never inside a UTF-8 sequence): what a failure message quotes.
std::string stderr_tail(std::string_view text);

}  // namespace aof::runtime::flow
