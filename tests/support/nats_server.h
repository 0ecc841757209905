#pragma once
// A real nats-server with JetStream for tests (DESIGN §10: no mock of NATS anywhere): started
// on a free loopback port with its own store directory in a TempDir, with the password and
// max_payload a test asks for, killed with SIGKILL and restarted on the same port and store to
// show what survives a broker crash. Needs nats-server on PATH (Debian's nats-server package;
// scripts/setup.sh installs it). Start-up to ready takes 15-30 ms on this machine (measured;
// the first start after boot ~100 ms), so every test case can own its server.
//
// Errors (cannot start, not ready within 10 s) throw std::runtime_error with the tail of the
// server's log. Not thread-safe: one test thread drives it.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/broker_server.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace aof::testing {

struct NatsServerOptions {
  std::string user{};    // with password: the only account user (--user/--pass)
  std::string password{};
  std::int64_t max_payload = 0;  // 0 = the server's default (1 MiB)
  bool jetstream = true;         // false: a plain NATS server (to test the error)
  bool tls = false;  // TLS required, with a test CA (test_certificates.h) in dir()/ca.crt
};

class NatsServer : public BrokerServer {
 public:
  // Starts nats-server and waits until it sends its INFO line (JetStream is up before the
  // client listener opens, also after a restart with stored streams).
  explicit NatsServer(NatsServerOptions options = {});
  ~NatsServer() override;  // kill -9 and wait
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  int port() const { return port_; }

  // nats://127.0.0.1:PORT, nats://USER:PASSWORD@127.0.0.1:PORT with a password, or
  // tls://127.0.0.1:PORT?ca_file=<dir>/ca.crt for TLS.
  std::string url() const override;

  // The directory holding nats.log, the config file, the JetStream store and, for TLS, ca.crt.
  std::string dir() const { return dir_.path().string(); }

  // SIGKILL, then waits for the exit. A no-op when not running.
  void kill9() override;

  // Starts again on the same port and store directory and waits until ready. Kills the
  // running server first, if any.
  void restart() override;

  // The last `lines` lines of nats.log (for failure messages).
  std::string log_tail(int lines = 20) const;

 private:
  std::vector<std::string> server_args() const;
  void start();
  void wait_until_ready();

  NatsServerOptions options_;
  TempDir dir_;  // declared before process_: the directory outlives the server
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace aof::testing
