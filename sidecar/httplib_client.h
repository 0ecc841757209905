#pragma once
// The HttpClient seam (common/base/http_client.h) over cpp-httplib 0.11.4: what the binaries
// hand the executor for LLM calls, tools and report-backs. httplib stays in the .cc.
//
// One httplib client per request: nothing is shared between calls, so send() is thread-safe
// without locks, at the price of no connection reuse (an LLM call takes seconds, a TLS
// handshake milliseconds). https verifies the server's certificate and host name against the
// system store, or against HttplibClientOptions::ca_cert_file.
// Error messages name the method, scheme, host and port only: never the path or query (a
// query may carry a key) or any header.

#include <string>

#include "common/base/http_client.h"

namespace aof::sidecar {

struct HttplibClientOptions {
  std::string ca_cert_file;  // PEM bundle trusted for https; "" = the system's CA store
};

class HttplibClient final : public HttpClient {
 public:
  explicit HttplibClient(HttplibClientOptions options = {});

  // As HttpClient::send. Blocks for at most about request.timeout per connect, read and
  // write step (httplib applies the timeout per socket operation, not to the whole call).
  // Redirects are followed only with request.follow_redirects. A response is cut off as
  // kResourceExhausted once its body passes max_response_bytes (checked on Content-Length
  // first, then while it streams in), so an endless body cannot fill memory.
  Result<HttpResponse> send(const HttpRequest& request) const override;

 private:
  HttplibClientOptions options_;
};

}  // namespace aof::sidecar
