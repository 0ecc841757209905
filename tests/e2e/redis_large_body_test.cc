// aof-sidecar → Redis → aof-work with a 20 MiB webhook: over queue.max_inline_body_bytes the
// body is stored aside in chunks (common/queue/body_aside.h), the worker's flow runs on the
// whole payload, and the chunks are gone once the event is done.
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/e2e/deployment_fixture.h"

namespace aof::testing {

TEST_CASE("redis: a 20 MiB webhook runs its flow and leaves no stored chunks") {
  Deployment deployment;  // on Redis
  deployment.start_sidecar();

  auto payload = nlohmann::json::parse(pull_request_body(7));
  payload["padding"] = std::string(20u << 20, 'p');  // GitHub sends up to 25 MiB
  const std::string body = payload.dump();
  REQUIRE(body.size() > (20u << 20));
  const auto reply = post_github(deployment.sidecar_port(), "pull_request", body, "d-large-7");
  REQUIRE(reply.status == 202);
  const std::string event_id = reply.json()["event_id"];
  // Accepted means stored: the chunks are there before any worker runs (1 MiB each).
  const std::string stored = deployment.redis().command({"KEYS", "*:body:*"});
  CHECK(std::count(stored.begin(), stored.end(), '\n') + 1 == 21);

  auto worker = deployment.start_worker("w1", 1);

  auto record = deployment.wait_for_event(event_id);
  INFO(worker.process->stderr_text());
  CHECK(record["state"] == "done");
  CHECK(record["attempts"] == 1);
  CHECK(deployment.marker_lines() == std::vector<std::string>{"7"});
  CHECK(deployment.redis().command({"KEYS", "*:body:*"}).empty());
}

}  // namespace aof::testing
