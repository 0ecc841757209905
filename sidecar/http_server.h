#pragma once
// The HTTP adapter (cpp-httplib, kept out of this header): turns requests into the plain
// ingest::IngressRequest the request logic takes, and its IngressResponse back into HTTP.
// Routes: POST|GET /webhook/{platform}, GET /health (AOF's shape), /healthz, /readyz,
// /metrics, and /v1/... admin routes answered to loopback peers only.
// Limits enforced before a body is buffered: Content-Length over max_body_bytes → 413;
// all bodies being received at once over max_inflight_bytes → 503 + Retry-After.
// Tuned per measured-limits.md: TCP_NODELAY, long keep-alive, pool ≥ connections, backlog.

#include <functional>
#include <memory>
#include <string>

#include "common/base/result.h"
#include "common/ingest/request.h"

namespace aof::sidecar {

struct HttpOptions {
  std::string host = "0.0.0.0";
  int port = 8080;             // 0 = any free port (see HttpServer::port())
  int threads = 128;           // each keep-alive connection holds one thread
  int read_timeout_secs = 30;  // per read; slow senders are cut off
  int write_timeout_secs = 30;
  int keep_alive_timeout_secs = 30;
  std::int64_t max_body_bytes = 26214400;
  std::int64_t max_inflight_bytes = 268435456;
  int backlog = 4096;  // httplib listens with 5; raised after bind
};

using RequestHandler = std::function<ingest::IngressResponse(const ingest::IngressRequest&)>;

struct HttpHandlers {
  RequestHandler webhook;                // POST/GET /webhook/{platform}; platform filled in
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

  // Binds the listening socket. kUnavailable with the reason if the address is taken.
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
