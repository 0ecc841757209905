// replayed_envelope (replay.h): the envelope every backend publishes for `aof dlq replay`.
#include <doctest/doctest.h>

#include "common/queue/replay.h"

namespace aof::queue {
namespace {

const TimePoint kNow = from_unix_ms(1'800'000'000'000);

event::Envelope dead_letter() {
  event::Envelope e;
  e.id = "evt-1";
  e.generation = 2;
  e.attempt = 4;
  e.action = "opened";
  e.priority = 1;
  e.target = {event::TargetKind::kAgentFlow, "review"};
  e.metadata = {{"pr_number", 3}};
  e.headers = {{"X-GitHub-Event", "pull_request"}};
  e.body = "original";
  e.history = {{4, "w", "2026-11-27T00:00:00.000Z", "internal", "boom"}};
  return e;
}

ReplayRequest request(std::map<std::string, std::string> set = {}) {
  return ReplayRequest{"evt-1", "ops@host", std::move(set), std::nullopt};
}

Error error_of(const Result<event::Envelope>& result) {
  REQUIRE_FALSE(result.ok());
  return result.error();
}

}  // namespace

TEST_CASE("an unedited replay is the next generation with attempts reset and history kept") {
  auto next = replayed_envelope(dead_letter(), request(), kNow);
  REQUIRE(next.ok());
  CHECK(next->id == "evt-1");
  CHECK(next->generation == 3);
  CHECK(next->attempt == 0);
  CHECK(next->history.size() == 1);
  CHECK(next->body == "original");
  REQUIRE(next->replays.size() == 1);
  CHECK(next->replays[0].from_generation == 2);
  CHECK(next->replays[0].by == "ops@host");
  CHECK(next->replays[0].at == to_rfc3339(kNow));
  CHECK(next->replays[0].changes.empty());
}

TEST_CASE("edits are applied and recorded with their old values") {
  auto with_body = request({{"action", "synchronize"},
                            {"priority", "5"},
                            {"target.kind", "Agent"},
                            {"target.name", "triage"},
                            {"metadata.pr_number", "12"},
                            {"metadata.note", "retry after fix"},
                            {"headers.X-Replayed", "yes"}});
  with_body.body = "fixed";
  auto next = replayed_envelope(dead_letter(), with_body, kNow);
  REQUIRE(next.ok());
  CHECK(next->action == "synchronize");
  CHECK(next->priority == 5);
  CHECK(next->target.kind == event::TargetKind::kAgent);
  CHECK(next->target.name == "triage");
  CHECK(next->metadata["pr_number"] == 12);
  CHECK(next->metadata["note"] == "retry after fix");
  CHECK(next->headers.at("X-Replayed") == "yes");
  CHECK(next->body == "fixed");
  const std::string& changes = next->replays[0].changes;
  CHECK(changes.find("action: opened -> synchronize") != std::string::npos);
  CHECK(changes.find("priority: 1 -> 5") != std::string::npos);
  CHECK(changes.find("target.kind: AgentFlow -> Agent") != std::string::npos);
  CHECK(changes.find("metadata.pr_number: 3 -> 12") != std::string::npos);
  CHECK(changes.find("metadata.note: (unset) -> \"retry after fix\"") != std::string::npos);
  CHECK(changes.find("headers.X-Replayed: (unset) -> yes") != std::string::npos);
  // sha256("original")
  CHECK(changes.find("body: replaced, was 8 bytes sha256 "
                     "0682c5f2076f099c34cfdd15a9e063849ed437a49677e6fcc5b4198c76575be5") !=
        std::string::npos);
}

TEST_CASE("an unedited replay keeps a body stored aside; a new body replaces it") {
  auto dead = dead_letter();
  dead.body.clear();
  dead.body_ref = "aside1:01HZX3QK5V6W7Y8Z9A0B1C2D3E:20971520:1048576:" + std::string(64, 'a');
  auto kept = replayed_envelope(dead, request(), kNow);
  REQUIRE(kept.ok());
  CHECK(kept->body_ref == dead.body_ref);
  auto with_body = request();
  with_body.body = "fixed";
  auto replaced = replayed_envelope(dead, with_body, kNow);
  REQUIRE(replaced.ok());
  CHECK(replaced->body == "fixed");
  CHECK(replaced->body_ref.empty());
  CHECK(replaced->replays.back().changes ==
        "body: replaced, was 20971520 bytes sha256 " + std::string(64, 'a') + " (stored aside)");
}

TEST_CASE("bad edits are refused with the field's name") {
  CHECK(error_of(replayed_envelope(dead_letter(), request({{"colour", "red"}}), kNow)).message()
            .starts_with("--set colour: not a field a replay may change (one of event, action"));
  CHECK(error_of(replayed_envelope(dead_letter(), request({{"priority", "high"}}), kNow))
            .message() == "--set priority: \"high\" is not an integer");
  CHECK(error_of(replayed_envelope(dead_letter(), request({{"priority", "5x"}}), kNow))
            .message() == "--set priority: \"5x\" is not an integer");
  CHECK(error_of(replayed_envelope(dead_letter(), request({{"target.kind", "Robot"}}), kNow))
            .message() == "--set target.kind: \"Robot\" is not Agent, AgentFleet or AgentFlow");
  CHECK(error_of(replayed_envelope(dead_letter(), request({{"metadata.", "x"}}), kNow)).code() ==
        ErrorCode::kInvalidArgument);
  auto huge = request();
  huge.body = std::string(26214401, 'x');
  const Error too_big = error_of(replayed_envelope(dead_letter(), huge, kNow));
  CHECK(too_big.code() == ErrorCode::kInvalidArgument);
  CHECK(too_big.message().find("envelope.body") != std::string::npos);
}

}  // namespace aof::queue
