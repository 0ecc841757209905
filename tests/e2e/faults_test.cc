// Fault tests (DESIGN §10): kill -9 of a worker mid-flow (Redis) and of the broker itself (Redis
// with appendonly, NATS JetStream with its file store).
#include <doctest/doctest.h>

#include <csignal>
#include <fstream>
#include <set>
#include <thread>

#include "tests/e2e/deployment_fixture.h"

namespace aof::testing {

TEST_CASE("redis: a worker killed mid-flow loses its lease and another worker finishes") {
  Deployment deployment(Broker::kRedis, "    lease_ms: 1500\n");
  deployment.start_sidecar();
  auto first = deployment.start_worker("doomed", 1);
  const auto reply = deployment.send_pr(7, "synchronize");
  REQUIRE(reply.status == 202);
  const std::string event_id = reply.json()["event_id"];
  REQUIRE(
      first.process->wait_for_stderr("target=AgentFlow:gated started", std::chrono::seconds(20)));
  const int script = wait_for_pid(deployment.pid_path(7));
  REQUIRE(script > 0);

  // The pod dies: the worker and its flow's process, with no chance to release anything.
  first.process->signal(SIGKILL);
  ::kill(script, SIGKILL);
  REQUIRE(first.process->wait(std::chrono::seconds(10)) == 128 + SIGKILL);
  { std::ofstream gate(deployment.gate_path()); }

  auto second = deployment.start_worker("survivor", 1);
  const auto record = deployment.wait_for_event(event_id);
  INFO(second.process->stderr_text());
  CHECK(record["state"] == "done");
  CHECK(record["attempts"] == 2);
  REQUIRE(record["history"].size() == 1);
  CHECK(record["history"][0]["error_class"] == "lease_expired");
  CHECK(record["history"][0]["worker"] == "doomed");
  CHECK(deployment.marker_lines() == std::vector<std::string>{"gated 7"});
}

TEST_CASE_TEMPLATE("events accepted before the broker is killed -9 run after it restarts", B,
                   AOF_E2E_BROKERS) {
  // Redis: appendonly yes, appendfsync everysec (the defaults of RedisServerOptions).
  Deployment deployment(B::kBroker);
  deployment.start_sidecar();
  constexpr int kEvents = 20;
  for (int n = 0; n < kEvents; ++n) REQUIRE(deployment.send_pr(n).status == 202);
  // appendfsync everysec: give the once-a-second fsync its turn after the last accept.
  // JetStream wrote each event to its store file before the PubAck the sidecar waited for: a
  // process crash cannot lose it, no fsync needed.
  if (B::kBroker == Broker::kRedis) std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  deployment.sidecar().signal(SIGKILL);
  deployment.server().kill9();
  deployment.server().restart();

  auto worker = deployment.start_worker("after-restart", 4);
  INFO(worker.process->stderr_text());
  REQUIRE(deployment.wait_for_marker_lines(kEvents, std::chrono::seconds(20)));
  const auto lines = deployment.marker_lines();
  CHECK(std::set<std::string>(lines.begin(), lines.end()).size() == kEvents);
}

}  // namespace aof::testing
