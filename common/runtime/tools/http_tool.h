#pragma once
// The `http_request` tool (reference §4.4; also what `http` names), over the HttpClient seam:
// url (http or https only), method (GET, POST, PUT, PATCH, DELETE, HEAD), headers, body or
// json (sent as JSON with Content-Type application/json unless a header sets it),
// timeout_secs (default 30, at most 300, and never past the run's deadline),
// follow_redirects (default true, as AOF).
//
// Any HTTP status is a successful call, as in AOF: the model reads status, status_text,
// headers, body (parsed when it is JSON, else text), elapsed_ms and url. Transport failures
// (refused, DNS, TLS, timeout) and a response body over 1 MiB are failed calls.
// changed_something for every method but GET and HEAD, failed calls included (a POST that
// timed out may have been done); the same calls have an outside effect (journaled).
//
// Not stopped by cancellation once sent (HttpClient cannot abort a request): the timeout
// bounds it. No guard against private or metadata addresses (169.254.169.254): an agent
// with http_request reaches what the worker reaches.

#include <memory>
#include <string>
#include <vector>

#include "common/base/http_client.h"
#include "common/runtime/tools/tool.h"

namespace aof::runtime::tools {

struct HttpToolOptions {
  std::vector<std::string> allowed_methods;  // from HTTP entries' allowed_methods; empty: all
};

// The tool keeps a reference to `client`, which must outlive it.
std::shared_ptr<const Tool> make_http_request_tool(const HttpClient& client,
                                                   HttpToolOptions options = {});

}  // namespace aof::runtime::tools
