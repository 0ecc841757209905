// `aof serve` as a black box: real process, real HTTP, real signatures, the embedded queue.
#include <doctest/doctest.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "tests/e2e/standalone_fixture.h"

namespace aof::testing {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

TEST_CASE("a signed pull_request.opened runs its flow and the result is kept") {
  Standalone server;
  const auto reply = server.send_github("pull_request", pull_request_body(42), "delivery-1");
  REQUIRE(reply.status == 202);
  const auto answer = reply.json();
  CHECK(answer["status"] == "accepted");
  const std::string event_id = answer["event_id"];

  const auto record = server.wait_for_event(event_id);
  CHECK(record["state"] == "done");
  CHECK(record["attempts"] == 1);
  CHECK(record["target"]["name"] == "record");
  CHECK(record["result"]["output"]["output"] == "ran PR #42");
  CHECK(read_text(server.marker_path()) == "42\n");
}

TEST_CASE("a tampered body is refused with 401 and nothing runs") {
  Standalone server;
  std::string body = pull_request_body(7);
  const std::string signature = github_signature(kSecret, body);
  body.replace(body.find("Change 7"), 8, "Change 8");  // same length, different bytes
  const auto tampered = server.send_with_signature("pull_request", body, "delivery-t", signature);
  CHECK(tampered.status == 401);
  const auto wrong_secret = server.send_github("pull_request", body, "delivery-w", "not-it");
  CHECK(wrong_secret.status == 401);
  const auto unsigned_reply = server.send_github("pull_request", body, "delivery-u", nullptr);
  CHECK(unsigned_reply.status == 401);

  // A valid event afterwards proves the worker is running, so "nothing ran" is meaningful.
  const auto valid = server.send_github("pull_request", pull_request_body(9), "delivery-v");
  REQUIRE(valid.status == 202);
  CHECK(server.wait_for_event(valid.json()["event_id"])["state"] == "done");
  CHECK(read_text(server.marker_path()) == "9\n");
  const auto metrics = server.get("/metrics").body;
  CHECK(metrics.find("aof_sidecar_requests_total{platform=\"github\",outcome=\"unauthorized\"} 3") !=
        std::string::npos);
  CHECK(metrics.find("{platform=\"slack\",outcome=\"unauthorized\"} 0") != std::string::npos);
  // Standalone serves the worker's metrics on the same listener.
  CHECK(metrics.find("aof_worker_events_total{outcome=\"succeeded\"} 1") != std::string::npos);
}

TEST_CASE("the same delivery twice is accepted once and runs once") {
  Standalone server;
  const std::string body = pull_request_body(5);
  const auto first = server.send_github("pull_request", body, "delivery-dup");
  const auto second = server.send_github("pull_request", body, "delivery-dup");
  REQUIRE(first.status == 202);
  CHECK(second.status == 200);
  CHECK(second.json()["status"] == "duplicate");
  CHECK(server.wait_for_event(first.json()["event_id"])["state"] == "done");
  // Looking the event up by the provider's delivery id finds the first one.
  CHECK(server.wait_for_event("delivery-dup")["event_id"] == first.json()["event_id"]);
  // A later, different delivery runs too: the marker then shows each exactly once.
  const auto third = server.send_github("pull_request", pull_request_body(6), "delivery-3");
  CHECK(server.wait_for_event(third.json()["event_id"])["state"] == "done");
  CHECK(read_text(server.marker_path()) == "5\n6\n");
}

TEST_CASE("a failing flow ends in the dead letters with its history") {
  Standalone server;
  const auto reply = server.send_github("issues", issue_body(3), "delivery-fail");
  REQUIRE(reply.status == 202);
  const auto record = server.wait_for_event(reply.json()["event_id"]);
  CHECK(record["state"] == "dead");
  CHECK(record["attempts"] == 2);  // the first attempt plus max_retries: 1
  REQUIRE(record["history"].size() == 2);
  for (const auto& entry : record["history"]) {
    CHECK(entry["error_class"] == "internal");
    CHECK(entry["message"].get<std::string>().find("exit code 3") != std::string::npos);
  }
  const auto dead = server.get("/v1/dlq").json();
  REQUIRE(dead.size() == 1);
  CHECK(dead[0]["id"] == reply.json()["event_id"]);
  CHECK(dead[0]["history"].size() == 2);
}

TEST_CASE("unbound events are ignored, malformed ones refused, ping answered") {
  Standalone server;
  const auto push = server.send_github("push", pull_request_body(1, "opened"), "d-push");
  CHECK(push.status == 200);
  CHECK(push.json()["status"] == "ignored");
  const auto no_event = server.send_github("", pull_request_body(1), "d-none");
  CHECK(no_event.status == 400);
  const auto not_json = server.send_github("pull_request", "{not json", "d-bad");
  CHECK(not_json.status == 400);
  const auto ping =
      server.send_github("ping", R"({"zen":"Keep it logically awesome.","hook_id":1})", "d-ping");
  CHECK(ping.status == 200);
  CHECK(ping.json()["status"] == "pong");
  CHECK(server.get("/health").json()["status"] == "healthy");
  CHECK(server.get("/readyz").status == 200);
  CHECK(server.get("/v1/dlq").json().empty());
}

TEST_CASE("bodies over gateway.max_body_bytes are refused with 413 before anything runs") {
  Standalone server("  gateway: {max_body_bytes: 2048}\n");
  std::string big = pull_request_body(12);
  big.insert(big.size() - 1, ",\"padding\":\"" + std::string(4096, 'x') + "\"");
  const auto reply = server.send_github("pull_request", big, "d-big");
  CHECK(reply.status == 413);
  CHECK(reply.json()["error"] == "body exceeds 2048 bytes");
  // A body within the limit still runs.
  const auto ok = server.send_github("pull_request", pull_request_body(13), "d-small");
  REQUIRE(ok.status == 202);
  CHECK(server.wait_for_event(ok.json()["event_id"])["state"] == "done");
  CHECK(read_text(server.marker_path()) == "13\n");
}

TEST_CASE("SIGTERM drains and exits 0") {
  Standalone server;
  const auto reply = server.send_github("pull_request", pull_request_body(11), "d-term");
  REQUIRE(reply.status == 202);
  CHECK(server.wait_for_event(reply.json()["event_id"])["state"] == "done");
  server.process().signal(SIGTERM);
  const auto code = server.process().wait(std::chrono::seconds(20));
  REQUIRE(code.has_value());
  CHECK(*code == 0);
  CHECK(server.process().stderr_text().find("stopped") != std::string::npos);
}

TEST_CASE("SIGTERM lets a running flow finish before exiting, and readiness goes first") {
  Standalone server;
  const auto reply =
      server.send_github("pull_request", pull_request_body(21, "synchronize"), "d-slow");
  REQUIRE(reply.status == 202);
  const std::string event_id = reply.json()["event_id"];
  // The worker's "started" line, not the gateway's "accepted" line: the flow is running.
  REQUIRE(
      server.process().wait_for_stderr("target=AgentFlow:slow started", std::chrono::seconds(20)));
  server.process().signal(SIGTERM);
  const auto code = server.process().wait(std::chrono::seconds(30));
  REQUIRE(code.has_value());
  CHECK(*code == 0);
  CHECK(read_text(server.marker_path()) == "slow 21\n");
  const auto log = server.process().stderr_text();
  CHECK(log.find("event_id=" + event_id + " attempt=1 done") != std::string::npos);
  CHECK(log.find("lost with this process") == std::string::npos);
}

}  // namespace aof::testing
