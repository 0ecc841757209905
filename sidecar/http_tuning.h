#pragma once
// The cpp-httplib tuning measured in reference/measured-limits.md, as one function so the
// sidecar and the bench's bare server (bench/bare) run with exactly the same settings:
// TCP_NODELAY (else Nagle + delayed ACK cost ≈ 40 ms per answer), keep-alive for 100,000
// requests per connection and `keep_alive_timeout_secs` (httplib closes after 5 by default,
// and the reconnect storm overflows the accept queue), a pool of `threads` (each keep-alive
// connection holds one), and a listen backlog raised from httplib's 5.

#include <cstdint>
#include <string>

namespace httplib {
class Server;
}

namespace aof::sidecar {

// Which server runs behind HttpServer (http_engine.h).
enum class HttpEngineKind {
  kEventLoop,  // one epoll thread for all connections (plain HTTP)
  kHttplib,    // cpp-httplib, a thread per connection (always used for HTTPS)
};

struct HttpOptions {
  HttpEngineKind engine = HttpEngineKind::kEventLoop;
  int max_connections = 10000;  // event loop: connections beyond this get 503 and are closed
  std::string host = "0.0.0.0";
  int port = 8080;             // 0 = any free port (see HttpServer::port())
  int threads = 128;           // httplib: each keep-alive connection holds one thread
  int read_timeout_secs = 30;  // httplib: per read; event loop: for a whole request to arrive
  int write_timeout_secs = 30;
  int keep_alive_timeout_secs = 30;
  std::int64_t max_body_bytes = 26214400;
  std::int64_t max_inflight_bytes = 268435456;
  int backlog = 4096;  // httplib listens with 5; raised after bind
  std::string tls_cert_file;  // both set: HTTPS (HttpServer only; the bench stays plain)
  std::string tls_key_file;
};

// Where tune_http_server records the listening socket, for raise_backlog. Must outlive the
// server it was passed with.
struct ListenSocket {
  int fd = -1;
};

// Applies the tuning above to `server` before it binds. Also sets SO_REUSEADDR on the
// listening socket (httplib's default socket options, which this replaces).
void tune_http_server(httplib::Server& server, const HttpOptions& options, ListenSocket& listen);

// httplib listens with a backlog of 5; a second listen() on the bound socket raises it.
// Call after bind_to_port / bind_to_any_port.
void raise_backlog(const ListenSocket& listen, int backlog);

}  // namespace aof::sidecar
