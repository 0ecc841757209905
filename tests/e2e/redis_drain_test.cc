// SIGTERM on a worker holding work (DESIGN §5 Drain): readiness first, the running flow
// finishes, the prefetched ones go back at once and another worker runs them, exit 0.
#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <future>
#include <thread>

#include "tests/e2e/deployment_fixture.h"

namespace aof::testing {

TEST_CASE("redis: SIGTERM drains a worker: readyz 503, running flow finishes, rest released") {
  Deployment deployment;
  deployment.start_sidecar();
  auto draining = deployment.start_worker("draining", 1, 3);
  const auto gated = deployment.send_pr(1, "synchronize");
  REQUIRE(gated.status == 202);
  REQUIRE(draining.process->wait_for_stderr("target=AgentFlow:gated started",
                                            std::chrono::seconds(20)));
  for (int n = 2; n <= 4; ++n) REQUIRE(deployment.send_pr(n).status == 202);
  // One slot busy with the gated flow, the three others held ahead of it.
  REQUIRE(wait_for_metric(draining.port, "aof_worker_prefetched 3", std::chrono::seconds(20)));
  CHECK(wait_for_metric(draining.port, "aof_worker_busy_slots 1", std::chrono::seconds(1)));

  draining.process->signal(SIGTERM);
  CHECK(wait_for_status(draining.port, "/readyz", 503, std::chrono::seconds(10)));
  CHECK(http_get(draining.port, "/healthz").status == 200);

  auto other = deployment.start_worker("other", 2);
  REQUIRE(deployment.wait_for_marker_lines(3, std::chrono::seconds(20)));
  CHECK(draining.process->wait(std::chrono::milliseconds(0)) == std::nullopt);  // still busy

  { std::ofstream gate(deployment.gate_path()); }
  const auto code = draining.process->wait(std::chrono::seconds(25));
  INFO(draining.process->stderr_text());
  REQUIRE(code.has_value());
  CHECK(*code == 0);
  CHECK(deployment.wait_for_event(gated.json()["event_id"])["attempts"] == 1);
  const auto lines = deployment.marker_lines();
  CHECK(std::count(lines.begin(), lines.end(), "gated 1") == 1);
  CHECK(lines.size() == 4);
  const auto log = draining.process->stderr_text();
  CHECK(log.find("worker drained (3 events released)") != std::string::npos);
  CHECK(log.find("stopped") != std::string::npos);
}

TEST_CASE("redis: SIGTERM on aof-sidecar answers the request in flight, then exits 0") {
  Deployment deployment;
  auto& sidecar = deployment.start_sidecar();
  REQUIRE(deployment.send_pr(1).status == 202);  // connections and scripts are warm

  // Redis holds writes, so the next publish waits inside the sidecar: a request in flight.
  deployment.redis().command({"CLIENT", "PAUSE", "20000", "WRITE"});
  auto in_flight = std::async(std::launch::async, [&] { return deployment.send_pr(2); });
  bool held = false;
  for (int i = 0; i < 200 && !held; ++i) {
    held = deployment.redis().command({"INFO", "clients"}).find("blocked_clients:1") !=
           std::string::npos;
    if (!held) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(held);
  sidecar.signal(SIGTERM);
  REQUIRE(sidecar.wait_for_stderr("received: draining", std::chrono::seconds(10)));
  deployment.redis().command({"CLIENT", "UNPAUSE"});

  CHECK(in_flight.get().status == 202);
  CHECK(sidecar.wait(std::chrono::seconds(20)) == 0);
  CHECK(sidecar.stderr_text().find("stopped") != std::string::npos);
}

TEST_CASE("redis: SIGINT stops aof-sidecar and aof-work like SIGTERM, with exit 0") {
  Deployment deployment;
  auto& sidecar = deployment.start_sidecar();
  auto worker = deployment.start_worker("w", 1);
  REQUIRE(deployment.send_pr(5).status == 202);
  REQUIRE(deployment.wait_for_marker_lines(1, std::chrono::seconds(20)));
  sidecar.signal(SIGINT);
  worker.process->signal(SIGINT);
  CHECK(sidecar.wait(std::chrono::seconds(20)) == 0);
  CHECK(worker.process->wait(std::chrono::seconds(20)) == 0);
  CHECK(sidecar.stderr_text().find("stopped") != std::string::npos);
  CHECK(worker.process->stderr_text().find("stopped") != std::string::npos);
}

}  // namespace aof::testing
