#pragma once
// A deployment on a real broker for end-to-end tests: a redis-server or a nats-server with
// JetStream (file store), the e2e config, trigger and flows in a temp dir, and aof-sidecar /
// aof-work processes started on it. Flows: pull_request.opened → `record` (appends "$PR" to the
// marker file); pull_request.synchronize → `gated` (writes its shell's pid to pid_path(PR), waits
// until gate_path() exists, then appends "gated $PR"); pull_request.closed → `fixable` (fails,
// retryably, until fix_path() exists, then appends "fixed $PR": a dead letter to replay).

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/config/daemon_config.h"
#include "tests/e2e/standalone_fixture.h"
#include "tests/support/nats_server.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace aof::testing {

enum class Broker { kRedis, kNats };
// "redis" or "nats": its queue.type and URL scheme.
const char* broker_name(Broker broker);

// The brokers as types for TEST_CASE_TEMPLATE(NAME, B, AOF_E2E_BROKERS): B::kBroker is the
// broker and the case's name ends in <redis> or <nats>, so -tc='*<nats>' runs one broker.
struct OnRedis {
  static constexpr Broker kBroker = Broker::kRedis;
};
struct OnNats {
  static constexpr Broker kBroker = Broker::kNats;
};
#define AOF_E2E_BROKERS aof::testing::OnRedis, aof::testing::OnNats

struct WorkerProcess {
  std::unique_ptr<ChildProcess> process;
  int port = 0;  // its health/metrics listener (spec.worker.port)
};

class Deployment {
 public:
  // `queue_extra`: YAML lines added under spec.queue (4-space indent), e.g.
  // "    lease_ms: 1500\n". Redis runs with appendonly by default (RedisServerOptions).
  explicit Deployment(RedisServerOptions redis = {}, const std::string& queue_extra = "");
  explicit Deployment(NatsServerOptions nats, const std::string& queue_extra = "");
  // On `broker` with its server's default options.
  explicit Deployment(Broker broker, const std::string& queue_extra = "");

  Broker broker() const { return broker_; }
  // The broker's server: its url, kill9() and restart().
  BrokerServer& server() { return *server_; }
  // The Redis server of a deployment on Redis (throws std::logic_error on NATS).
  RedisServer& redis();
  const TempDir& dir() const { return dir_; }
  // The DaemonConfig every process here reads (queue.url is this broker).
  std::string config_path() const;
  // spec.queue of that config as far as the queue seam needs it: type and url.
  config::QueueConfig queue_config() const;

  // Starts aof-sidecar and waits until it listens (throws with its stderr otherwise). Its
  // spool is spool_path(); `spool_extra`: YAML lines under spec.gateway.spool (6-space
  // indent), e.g. "      max_bytes: 20000\n". A second call starts a new one on the same
  // spool (the previous one must have exited).
  ChildProcess& start_sidecar(const std::string& spool_extra = "");
  std::string spool_path() const;
  ChildProcess& sidecar() { return *sidecar_; }
  int sidecar_port() const { return sidecar_port_; }

  // Starts `aof-work run --consumer NAME --concurrency N` with its listener on a free port and
  // waits until it serves. `prefetch`: spec.worker.prefetch.
  WorkerProcess start_worker(const std::string& name, int concurrency, int prefetch = 5);

  // A signed pull_request webhook for PR `number` to the sidecar (delivery id from both).
  HttpReply send_pr(int number, const std::string& action = "opened") const;
  // GET /v1/events/ID?wait=20 on the sidecar's loopback admin route.
  nlohmann::json wait_for_event(const std::string& event_id) const;

  // Runs the operator CLI `aof ARGS... --config config_path()` to completion.
  RunResult aof(std::vector<std::string> args) const;

  std::string marker_path() const;
  std::string gate_path() const;
  std::string fix_path() const;
  std::string pid_path(int number) const;
  // The marker file's lines.
  std::vector<std::string> marker_lines() const;
  // Polls until the marker file has at least `count` lines; false after `timeout`.
  bool wait_for_marker_lines(std::size_t count, std::chrono::seconds timeout) const;

 private:
  Deployment(Broker broker, std::unique_ptr<BrokerServer> server, const std::string& queue_extra);
  std::string queue_yaml() const;

  TempDir dir_;
  Broker broker_;
  std::unique_ptr<BrokerServer> server_;
  std::string queue_extra_;
  std::unique_ptr<ChildProcess> sidecar_;
  int sidecar_port_ = 0;
};

// The pid a flow's shell wrote to `path` (pid_path()), once it is there; 0 after 20 s.
int wait_for_pid(const std::string& path);

// Polls GET path on 127.0.0.1:port until the status is `status`; false after `timeout`.
bool wait_for_status(int port, const std::string& path, int status,
                     std::chrono::milliseconds timeout);
// Polls GET /metrics until it has the line "NAME VALUE"; false after `timeout`.
bool wait_for_metric(int port, const std::string& line, std::chrono::milliseconds timeout);

}  // namespace aof::testing

TYPE_TO_STRING_AS("redis", aof::testing::OnRedis);
TYPE_TO_STRING_AS("nats", aof::testing::OnNats);
