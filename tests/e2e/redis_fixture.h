#pragma once
// A deployment on a real Redis for end-to-end tests: a redis-server (RedisServer), the e2e
// config, trigger and flows in a temp dir, and aof-sidecar / aof-work processes started on
// it. Flows: pull_request.opened → `record` (appends "$PR" to the marker file);
// pull_request.synchronize → `gated` (writes its shell's pid to pid_path(PR), waits until
// gate_path() exists, then appends "gated $PR"); pull_request.closed → `fixable` (fails,
// retryably, until fix_path() exists, then appends "fixed $PR": a dead letter to replay).

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/e2e/standalone_fixture.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace aof::testing {

struct WorkerProcess {
  std::unique_ptr<ChildProcess> process;
  int port = 0;  // its health/metrics listener (spec.worker.port)
};

class RedisDeployment {
 public:
  // `queue_extra`: YAML lines added under spec.queue (4-space indent), e.g.
  // "    lease_ms: 1500\n".
  explicit RedisDeployment(RedisServerOptions redis = {}, const std::string& queue_extra = "");

  RedisServer& redis() { return *redis_; }
  const TempDir& dir() const { return dir_; }
  // The DaemonConfig every process here reads (queue.url is this Redis).
  std::string config_path() const;

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
  std::string queue_yaml() const;

  TempDir dir_;
  std::unique_ptr<RedisServer> redis_;
  std::string queue_extra_;
  std::unique_ptr<ChildProcess> sidecar_;
  int sidecar_port_ = 0;
};

// Polls GET path on 127.0.0.1:port until the status is `status`; false after `timeout`.
bool wait_for_status(int port, const std::string& path, int status,
                     std::chrono::milliseconds timeout);
// Polls GET /metrics until it has the line "NAME VALUE"; false after `timeout`.
bool wait_for_metric(int port, const std::string& line, std::chrono::milliseconds timeout);

}  // namespace aof::testing
