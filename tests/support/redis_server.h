#pragma once
// A real redis-server for tests (DESIGN §10: no mock of Redis anywhere): started on a free
// loopback port in its own TempDir, with the durability, memory, password and TLS settings a
// test asks for, killed with SIGKILL and restarted on the same port and directory to show
// what survives a broker crash. Needs redis-server and redis-cli on PATH (Debian's
// redis-server package; scripts/setup.sh installs it) and, for TLS, the openssl CLI.
//
// Errors (cannot start, not ready within 10 s, redis-cli failed) throw std::runtime_error
// with the tail of the server's log, so the harness works outside doctest too; a test case
// that throws fails with that message. Not thread-safe: one test thread drives it.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/broker_server.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace aof::testing {

struct RedisServerOptions {
  bool appendonly = true;  // appendonly yes (accepted writes survive kill -9)
  std::string appendfsync = "everysec";
  std::int64_t maxmemory_bytes = 0;  // 0 = unlimited; >0 sets maxmemory + noeviction
  std::string password{};            // requirepass when non-empty
  bool tls = false;  // TLS only (port 0, tls-port), self-signed CA made with the openssl CLI
};

class RedisServer : public BrokerServer {
 public:
  // Starts redis-server and waits until it answers PING (at most 10 s).
  explicit RedisServer(RedisServerOptions options = {});
  ~RedisServer() override;  // kill -9 and wait
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }

  // redis://127.0.0.1:PORT, redis://:PASSWORD@127.0.0.1:PORT with a password (not
  // percent-encoded: tests use plain passwords), or for TLS
  // rediss://127.0.0.1:PORT?ca_file=<dir>/ca.crt (the server's certificate is for 127.0.0.1).
  std::string url() const override;

  // The directory holding redis.log, the AOF files and, for TLS, ca.crt.
  std::string dir() const { return dir_.path().string(); }

  // SIGKILL, then waits for the exit. A no-op when not running.
  void kill9() override;

  // Starts again on the same port and directory (data survives when appendonly) and waits
  // until ready. Kills the running server first, if any.
  void restart() override;

  // Runs one command through redis-cli (with the password and TLS settings) and returns its
  // stdout trimmed, in redis-cli's raw form ("3", "PONG", one key per line). For test
  // inspection: XLEN, KEYS, CONFIG SET... Throws when redis-cli exits non-zero.
  std::string command(const std::vector<std::string>& args);

  // The last `lines` lines of redis.log (for failure messages).
  std::string log_tail(int lines = 20) const;

 private:
  std::vector<std::string> server_args() const;
  std::vector<std::string> cli_args() const;  // connection flags for redis-cli
  void start();
  void wait_until_ready();
  bool answers_ping() const;

  RedisServerOptions options_;
  TempDir dir_;  // declared before process_: the directory outlives the server
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// A TCP port on 127.0.0.1 that was free a moment ago: bound with port 0, read back, closed.
// Racy by nature (another process may take it before our server binds it); the window is a
// few milliseconds and a collision shows up as a start-up failure naming the port.
int free_loopback_port();

// The absolute path of `program` found on PATH, or "" when absent.
std::string find_on_path(const std::string& program);

}  // namespace aof::testing
