// The spool (issue 6 item 1) with the real binaries on a real Redis: while Redis is down the
// sidecar answers 202 from its fsync'd spool, forwards everything once Redis is back, and
// every event runs exactly once; a full spool answers 503 with Retry-After; the spool
// survives a sidecar killed -9.
#include <doctest/doctest.h>

#include <csignal>
#include <set>
#include <thread>

#include "tests/e2e/deployment_fixture.h"

namespace aof::testing {
namespace {

// appendonly, fsync every second: what the sidecar's durability contract assumes.
RedisServerOptions durable_redis() {
  RedisServerOptions options;
  options.appendonly = true;
  options.appendfsync = "everysec";
  return options;
}

// Each marker line once, and `count` of them.
void check_each_ran_once(const Deployment& deployment, std::size_t count) {
  const auto lines = deployment.marker_lines();
  CHECK(lines.size() == count);
  CHECK(std::set<std::string>(lines.begin(), lines.end()).size() == count);
}

TEST_CASE("redis down: 1,000 webhooks are spooled and answered, and each runs once after") {
  Deployment deployment(durable_redis());
  deployment.start_sidecar();
  deployment.redis().kill9();

  constexpr int kEvents = 1000;
  for (int n = 0; n < kEvents; ++n) {
    const auto reply = deployment.send_pr(n);
    REQUIRE_MESSAGE(reply.status == 202, "PR " << n << ": " << reply.status << " " << reply.body);
  }
  CHECK(wait_for_metric(deployment.sidecar_port(),
                        "aof_sidecar_spool_pending_events " + std::to_string(kEvents),
                        std::chrono::seconds(5)));
  CHECK(wait_for_status(deployment.sidecar_port(), "/readyz", 200, std::chrono::seconds(5)));

  deployment.redis().restart();
  auto worker = deployment.start_worker("after-outage", 10);
  INFO(deployment.sidecar().stderr_text());
  REQUIRE(deployment.wait_for_marker_lines(kEvents, std::chrono::seconds(120)));
  CHECK(wait_for_metric(deployment.sidecar_port(), "aof_sidecar_spool_pending_events 0",
                        std::chrono::seconds(10)));
  // Nothing runs twice: give a stray second delivery time to show up.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  check_each_ran_once(deployment, kEvents);
}

TEST_CASE("redis stalled: past ack_timeout_ms the webhook is spooled and answered; runs once") {
  Deployment deployment(durable_redis());
  // A line back at gateway level after the spool's own: gateway.ack_timeout_ms.
  deployment.start_sidecar("    ack_timeout_ms: 300\n");
  REQUIRE(deployment.send_pr(0).status == 202);  // connected, scripts loaded

  // Redis holds every write for 4 s: the publish is sent but not confirmed in time.
  REQUIRE(deployment.redis().command({"CLIENT", "PAUSE", "4000", "WRITE"}) == "OK");
  const auto reply = deployment.send_pr(1);
  INFO(deployment.sidecar().stderr_text());
  REQUIRE_MESSAGE(reply.status == 202, reply.status << " " << reply.body);
  // Answered from the spool: a confirmation from Redis would have left the spool empty.
  CHECK(wait_for_metric(deployment.sidecar_port(), "aof_sidecar_spooled_total 1",
                        std::chrono::seconds(5)));

  // Redis finishes the paused publish and the spool forwards the same event: one run each.
  REQUIRE(deployment.redis().command({"CLIENT", "UNPAUSE"}) == "OK");
  auto worker = deployment.start_worker("after-stall", 4);
  REQUIRE(deployment.wait_for_marker_lines(2, std::chrono::seconds(60)));
  CHECK(wait_for_metric(deployment.sidecar_port(), "aof_sidecar_spool_pending_events 0",
                        std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  check_each_ran_once(deployment, 2);
}

TEST_CASE("a full spool answers 503 with Retry-After; what it took still runs") {
  Deployment deployment(durable_redis());
  // Room for a few envelopes of the test's PR bodies (about 1.5 KB each as JSON).
  deployment.start_sidecar("      max_bytes: 8000\n");
  deployment.redis().kill9();

  int accepted = 0;
  HttpReply refused;
  for (int n = 0; n < 100 && refused.status == 0; ++n) {
    const auto reply = deployment.send_pr(n);
    if (reply.status == 202) {
      ++accepted;
    } else {
      refused = reply;
    }
  }
  INFO(deployment.sidecar().stderr_text());
  REQUIRE(accepted > 0);
  CHECK(refused.status == 503);
  CHECK_FALSE(refused.retry_after.empty());
  // Neither the broker nor the spool can take an event: not ready.
  CHECK(wait_for_status(deployment.sidecar_port(), "/readyz", 503, std::chrono::seconds(5)));

  deployment.redis().restart();
  auto worker = deployment.start_worker("after-full", 4);
  REQUIRE(deployment.wait_for_marker_lines(static_cast<std::size_t>(accepted),
                                           std::chrono::seconds(60)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  check_each_ran_once(deployment, static_cast<std::size_t>(accepted));
  CHECK(wait_for_status(deployment.sidecar_port(), "/readyz", 200, std::chrono::seconds(10)));
}

TEST_CASE("the spool survives a sidecar killed -9 and is forwarded by the next one") {
  Deployment deployment(durable_redis());
  deployment.start_sidecar();
  deployment.redis().kill9();
  constexpr int kEvents = 20;
  for (int n = 0; n < kEvents; ++n) REQUIRE(deployment.send_pr(n).status == 202);
  deployment.sidecar().signal(SIGKILL);
  REQUIRE(deployment.sidecar().wait(std::chrono::seconds(10)) == 128 + SIGKILL);

  deployment.redis().restart();
  deployment.start_sidecar();
  auto worker = deployment.start_worker("after-restart", 4);
  INFO(deployment.sidecar().stderr_text());
  REQUIRE(deployment.wait_for_marker_lines(kEvents, std::chrono::seconds(60)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  check_each_ran_once(deployment, kEvents);
}

}  // namespace
}  // namespace aof::testing
