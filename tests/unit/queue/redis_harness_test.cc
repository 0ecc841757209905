// The RedisServer test harness itself (tests/support/redis_server.h): the other Redis cases
// trust it to start what they ask for and to restart with the data a real crash keeps.
#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>

#include "tests/support/redis_server.h"

namespace aof::testing {
namespace {

TEST_CASE("harness: a plain server answers on 127.0.0.1 at its url") {
  RedisServer server;
  CHECK(server.url() == "redis://127.0.0.1:" + std::to_string(server.port()));
  CHECK(server.command({"PING"}) == "PONG");
  CHECK(server.command({"SET", "k", "v"}) == "OK");
  CHECK(server.command({"CONFIG", "GET", "appendonly"}) == "appendonly\nyes");
  CHECK(server.command({"CONFIG", "GET", "appendfsync"}) == "appendfsync\neverysec");
}

TEST_CASE("harness: kill9 stops the server and restart brings back appendonly data") {
  RedisServer server;
  const int port = server.port();
  REQUIRE(server.command({"RPUSH", "list", "a", "b"}) == "2");
  server.kill9();
  CHECK_THROWS_AS(server.command({"PING"}), std::runtime_error);
  server.restart();
  CHECK(server.port() == port);
  CHECK(server.command({"LRANGE", "list", "0", "-1"}) == "a\nb");
}

TEST_CASE("harness: without appendonly a restart starts empty") {
  RedisServer server(RedisServerOptions{.appendonly = false});
  REQUIRE(server.command({"SET", "k", "v"}) == "OK");
  server.restart();
  CHECK(server.command({"EXISTS", "k"}) == "0");
}

TEST_CASE("harness: password, maxmemory and TLS options reach the server") {
  RedisServer locked(RedisServerOptions{.maxmemory_bytes = 8 << 20, .password = "pw"});
  CHECK(locked.url() == "redis://:pw@127.0.0.1:" + std::to_string(locked.port()));
  CHECK(locked.command({"CONFIG", "GET", "maxmemory"}) == "maxmemory\n8388608");
  CHECK(locked.command({"CONFIG", "GET", "maxmemory-policy"}) == "maxmemory-policy\nnoeviction");
  CHECK(locked.command({"CONFIG", "GET", "requirepass"}) == "requirepass\npw");

  RedisServer tls(RedisServerOptions{.tls = true});
  CHECK(tls.url() ==
        "rediss://127.0.0.1:" + std::to_string(tls.port()) + "?ca_file=" + tls.dir() + "/ca.crt");
  CHECK(std::filesystem::exists(tls.dir() + "/ca.crt"));
  CHECK(tls.command({"PING"}) == "PONG");
  CHECK(tls.command({"CONFIG", "GET", "port"}) == "port\n0");
}

}  // namespace
}  // namespace aof::testing
