#pragma once
// The Script node with `tool` (reference §6.3): AOF's native tools, run without a shell.
// `args` is expanded first (template.h expand_json: a value that is exactly one `${...}`
// keeps its type). On success the output is AOF's shape for that action:
//   docker  ps {all}                 → {containers: [<docker ps --format json objects>], count}
//           logs {container, tail=100}→ {logs, stderr, container}
//           inspect {container}      → <docker inspect's JSON array>
//           stats                    → {stats: [<docker stats --no-stream objects>]}
//   kubectl get {resource, name, namespace}    → <kubectl get -o json's object>
//           logs {pod, namespace, container, tail=100} → {logs, pod}
//           describe {resource, name, namespace} → {output, resource}
//           (namespace defaults to spec.context.namespace; spec.context.kubeconfig reaches
//           kubectl as KUBECONFIG)
//   http    get|post|put|patch|delete|head {url, headers, body}
//           → {url, method, status, body: <parsed JSON or text>, raw, success: true}
//           (through the worker's HTTP client, not curl; a string body is sent as written,
//           any other as JSON with Content-Type application/json unless headers set one)
//   json    parse {input}            → the parsed value (a non-string input as it is)
//           extract {from, path}     → the value at the dotted path (digits index arrays),
//                                      null when absent; a string `from` is parsed first
//           merge {sources}          → the objects merged, later keys winning
//   file    read {path}              → {path, content, size}   (a regular file, as text;
//                                      invalid UTF-8 → U+FFFD; FIFOs and devices refused)
//           write {path, content}    → {path, written: true, size} (written whole or not at
//                                      all: a temporary file renamed over the path)
//           exists {path}            → {path, exists}
//           list {path}              → {path, entries: [{name, type: file|directory, path}],
//                                      count} sorted by name, at most 10,000 (then
//                                      truncated: true)
// Programs (docker, kubectl) are found in the PATH of the node's environment (spec.context.env
// or scriptConfig.env may set one, else the worker's) and get that environment and the
// node's working directory; relative file paths are taken in that directory. Reads and
// outputs are capped at FlowRunOptions.max_output_bytes; timeout_seconds bounds programs and
// requests.
//
// When the action ran and failed (a non-zero exit, unparseable program output, an HTTP
// status >= 400 or no answer, a file that cannot be read or written, input that is not
// JSON), fail_on_error (default true) fails the node, retryably, with a message naming what
// failed; fail_on_error: false gives what is known instead ({exit_code, stderr} of a
// program, {status, body} of a request) with success: false and error: <that message>.
// Wrong args (a missing or mistyped value, a name starting with '-', a url that is not
// http(s)) fail the node permanently whatever fail_on_error says; so do timeouts and
// cancellation, as for commands.

#include <nlohmann/json.hpp>

#include "common/base/result.h"
#include "common/runtime/flow/nodes.h"

namespace aof::runtime::flow {

// Requires node.config.script_config with a tool (run_node checks). Errors carry no node
// prefix; run_node adds it.
Result<nlohmann::json> run_tool_node(const NodeRun& run);

}  // namespace aof::runtime::flow
