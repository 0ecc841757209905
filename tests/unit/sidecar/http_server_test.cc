#include "sidecar/http_server.h"

#include <doctest/doctest.h>

#include <chrono>
#include <future>

namespace aof::sidecar {
namespace {

HttpOptions loopback_any_port() {
  HttpOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  return options;
}

}  // namespace

TEST_CASE("stop right after start returns: a SIGTERM just after start-up cannot hang shutdown") {
  // httplib's stop() does nothing until its listen loop has begun; start() must not return
  // before then. 200 rounds made the race show without the wait in start().
  for (int round = 0; round < 200; ++round) {
    HttpServer server(loopback_any_port(), HttpHandlers{});
    REQUIRE(server.bind().ok());
    auto stopped = std::async(std::launch::async, [&] {
      server.start();
      server.stop();
    });
    REQUIRE_MESSAGE(stopped.wait_for(std::chrono::seconds(10)) == std::future_status::ready,
                    "round " << round << ": stop() did not return");
  }
}

}  // namespace aof::sidecar
