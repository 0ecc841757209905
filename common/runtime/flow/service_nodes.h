#pragma once
// The flow nodes that reach a service (reference §6.3, made real): Agent and Fleet run
// through the executor's runtimes; HTTP sends a real request (AOF's Fleet and HTTP were
// placeholders).
//   Agent → input = expanded `input` ("" when absent). The agent, as the loader resolved it
//           (config/resources.h NodeConfig): `inline`, else the named agent (run_agent), else
//           agentConfig's (both flow-defined ones through run_agent_definition). Output,
//           AOF's shape: {agent, input, output: <final text>, input_tokens, output_tokens,
//           iterations, requires_approval: false}.
//   Fleet → runs the AgentFleet named by `fleet` on the expanded `input` (run_fleet). Output:
//           the fleet's result (fleet_runner.h) with `output` its answer text, plus {fleet,
//           input}.
//   HTTP  → `url`, `method` (GET), `headers` values and `body` expanded (a structured body
//           string by string with expand_json, then sent as JSON text, so inserted values are
//           escaped); any status is an output, a transport failure fails the node.
//           Output: {status, headers, body: <parsed JSON when the response is JSON, else
//           text>, url, method}; later nodes read ${id.output.body.field}.
// Each needs what FlowRunOptions hands in; without it the node fails permanently saying so.

#include <nlohmann/json.hpp>

#include "common/base/result.h"
#include "common/runtime/flow/nodes.h"

namespace aof::runtime::flow {

Result<nlohmann::json> run_agent_node(const NodeRun& run);
Result<nlohmann::json> run_fleet_node(const NodeRun& run);
Result<nlohmann::json> run_http_node(const NodeRun& run);

}  // namespace aof::runtime::flow
