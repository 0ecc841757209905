#pragma once
// The HTTP adapter (cpp-httplib, kept out of this header): turns requests into the plain
// ingest::IngressRequest the request logic takes, and its IngressResponse back into HTTP.
// Routes: POST|GET /webhook/{platform}, GET /health (AOF's shape), /healthz, /readyz,
// /metrics, and /v1/... admin routes answered to loopback peers only.
// Limits enforced before a body is buffered: Content-Length over max_body_bytes → 413;
// all bodies being received at once over max_inflight_bytes → 503 + Retry-After.
// Tuned per measured-limits.md by tune_http_server (http_tuning.h), shared with the bench.
// HTTPS instead when HttpOptions has a certificate and key (gateway.tls).
// Not bounded here, because cpp-httplib 0.11 cannot: the number of connections (each holds a
// pool thread; beyond `threads` they wait in the pool's queue, unbounded) and the total time
// of a request (a client sending a byte per read timeout keeps its thread). A silent client
// holds one thread for `read_timeout_secs` (then it is answered 400) plus
// `keep_alive_timeout_secs` (httplib then waits for its next request); it never stalls the
// others while threads are free. stop() also waits up to keep_alive_timeout_secs for idle
// keep-alive connections. The ingress in front limits connections and buffers
// bodies (docs/operations.md).

#include <functional>
#include <memory>
#include <string>

#include "common/base/result.h"
#include "common/ingest/request.h"
#include "sidecar/http_tuning.h"

namespace aof::sidecar {

using RequestHandler = std::function<ingest::IngressResponse(const ingest::IngressRequest&)>;
// Takes the answer to one request; callable from any thread, once, also after the server
// stopped (the answer is then dropped).
using Responder = std::function<void(ingest::IngressResponse)>;
// A handler that does not block its caller: it calls `respond` itself, at once or later.
using AsyncRequestHandler = std::function<void(const ingest::IngressRequest&, Responder)>;

struct HttpHandlers {
  RequestHandler webhook;                // POST/GET /webhook/{platform}; platform filled in
  AsyncRequestHandler webhook_async;     // the same for an event loop (may be empty)
  std::function<bool()> ready;           // /readyz: true → 200
  std::function<std::string()> metrics;  // /metrics: Prometheus text
  RequestHandler admin;                  // GET /v1/...: loopback peers only (may be empty)
};

class HttpServer {
 public:
  HttpServer(HttpOptions options, HttpHandlers handlers);
  ~HttpServer();  // stops if still serving
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listening socket. kUnavailable with the reason if the address is taken;
  // kInvalidArgument when the TLS certificate or key cannot be used.
  Status bind();
  // The bound port (after bind()).
  int port() const;
  // Serves on a background thread until stop().
  void start();
  // Stops accepting, lets in-flight requests finish, joins the thread.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aof::sidecar
