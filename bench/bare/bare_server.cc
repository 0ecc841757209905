// aof-bench-bare: the HTTP ceiling the sidecar is measured against (bench/README.md). The
// same cpp-httplib with the sidecar's exact tuning (tune_http_server), answering
// POST /webhook/github with the sidecar's 202 body shape and doing nothing else: no
// verification, no parsing, no broker. Usage: aof-bench-bare [PORT] (default 18081).
#include <httplib.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/base/clock.h"
#include "common/base/ids.h"
#include "sidecar/http_tuning.h"

int main(int argc, char** argv) {
  aof::sidecar::HttpOptions options;  // the sidecar's defaults: threads, keep-alive, backlog
  options.host = "127.0.0.1";
  options.port = argc > 1 ? std::atoi(argv[1]) : 18081;
  httplib::Server server;
  aof::sidecar::ListenSocket listen;
  aof::sidecar::tune_http_server(server, options, listen);
  server.Post("/webhook/github", [](const httplib::Request&, httplib::Response& res) {
    res.status = 202;
    const std::string id = aof::new_ulid(aof::SystemClock::instance().now());
    res.set_content(R"({"status":"accepted","event_id":")" + id + "\"}", "application/json");
  });
  if (!server.bind_to_port(options.host, options.port)) {
    std::fprintf(stderr, "aof-bench-bare: cannot listen on %s:%d\n", options.host.c_str(),
                 options.port);
    return 1;
  }
  aof::sidecar::raise_backlog(listen, options.backlog);
  std::fprintf(stderr, "aof-bench-bare: listening on %s:%d\n", options.host.c_str(), options.port);
  return server.listen_after_bind() ? 0 : 1;
}
