// aof-sidecar → broker → aof-work as separate processes: the happy path on Redis and on NATS
// JetStream, and many workers on Redis.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <set>
#include <thread>

#include "tests/e2e/deployment_fixture.h"

namespace aof::testing {

TEST_CASE_TEMPLATE("a signed webhook goes sidecar → broker → aof-work and its flow runs", B,
                   AOF_E2E_BROKERS) {
  Deployment deployment(B::kBroker);
  deployment.start_sidecar();
  auto worker = deployment.start_worker("w1", 2);
  const auto metrics_before = http_get(worker.port, "/metrics").body;
  CHECK(metrics_before.find("\naof_worker_concurrency 2\n") != std::string::npos);

  const auto reply = deployment.send_pr(42);
  REQUIRE(reply.status == 202);
  CHECK(reply.json()["status"] == "accepted");
  const std::string event_id = reply.json()["event_id"];

  auto record = deployment.wait_for_event(event_id);  // not const: a missing key reads null
  INFO(worker.process->stderr_text());
  CHECK(record["state"] == "done");
  CHECK(record["attempts"] == 1);
  CHECK(record["result"]["output"]["output"] == "ran PR #42");
  CHECK(deployment.marker_lines() == std::vector<std::string>{"42"});
  CHECK(wait_for_metric(worker.port, "aof_worker_events_total{outcome=\"succeeded\"} 1",
                        std::chrono::seconds(10)));
  CHECK(http_get(worker.port, "/healthz").status == 200);
  CHECK(http_get(worker.port, "/readyz").status == 200);
  // The sidecar's start-up logged Redis's durability (appendonly on here: nothing to warn;
  // JetStream's file store needs no such check).
  CHECK(deployment.sidecar().stderr_text().find("appendonly") == std::string::npos);
}

TEST_CASE("redis: 4 workers × 4 slots run 200 webhooks, each exactly once") {
  Deployment deployment;
  deployment.start_sidecar();
  std::vector<WorkerProcess> workers;
  for (int i = 0; i < 4; ++i)
    workers.push_back(deployment.start_worker("w" + std::to_string(i), 4));

  constexpr int kEvents = 200;
  std::atomic<int> accepted{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      for (int n = t; n < kEvents; n += 4) {
        if (deployment.send_pr(n).status == 202) ++accepted;
      }
    });
  }
  for (auto& sender : senders) sender.join();
  REQUIRE(accepted == kEvents);
  REQUIRE(deployment.wait_for_marker_lines(kEvents, std::chrono::seconds(25)));

  // Stop every worker so nothing can still be running, then count again.
  for (auto& worker : workers) worker.process->signal(SIGTERM);
  for (auto& worker : workers) CHECK(worker.process->wait(std::chrono::seconds(20)) == 0);
  auto lines = deployment.marker_lines();
  CHECK(lines.size() == kEvents);
  std::set<std::string> unique(lines.begin(), lines.end());
  CHECK(unique.size() == kEvents);
  for (const auto& worker : workers) {
    const auto log = worker.process->stderr_text();
    CHECK(log.find("lease lost") == std::string::npos);
    CHECK(log.find("lease_expired") == std::string::npos);
  }
}

}  // namespace aof::testing
