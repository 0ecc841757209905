#pragma once
// An envelope with every field set to a non-default value, and a field-by-field comparison,
// so a field the writer or the reader forgets fails a round trip.

#include <doctest/doctest.h>

#include "common/event/envelope.h"

namespace aof::event::testing {

inline Envelope full_envelope() {
  Envelope e;
  e.id = "01JDQ3Z6Y1M0000000000000AB";
  e.generation = 2;
  e.received_at = "2026-11-26T21:00:00.123Z";
  e.platform = "github";
  e.event = "pull_request";
  e.action = "opened";
  e.delivery_id = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
  e.dedup_key = "github:72d3162e-cc78-11e3-81ab-4c9367dc0958";
  e.tenant = "acme/api";
  e.priority = 5;
  e.trigger = "github-pr-review";
  e.target = {TargetKind::kAgentFleet, "code-review-fleet"};
  e.report = "review";
  e.text = "Review the PR at: https://github.com/acme/api/pull/7";
  e.channel_id = "acme/api#7";
  e.thread_id = "pr-7";
  e.user = {{"id", "583231"}, {"username", "octocat"}};
  e.metadata = {{"event_type", "pull_request"}, {"pr_number", 7}, {"labels", {"a", "b"}}};
  e.headers = {{"X-GitHub-Event", "pull_request"}, {"X-Hub-Signature-256", "sha256=ab"}};
  e.body = R"({"action":"opened","number":7})";
  e.body_ref = "aof-events.bodies/01JDQ3Z6Y1M0000000000000AB";
  e.attempt = 3;
  e.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  e.history = {
      {1, "worker-a", "2026-11-26T21:00:01.000Z", "timeout", "LLM call timed out"},
      {2, "worker-b", "2026-11-26T21:00:05.000Z", "lease_expired", "lease of 30000 ms expired"}};
  e.replays = {{0, "ops@host", "2026-11-27T09:00:00.000Z", ""},
               {1, "sre@laptop", "2026-11-27T10:00:00.000Z", "action: opened -> synchronize"}};
  return e;
}

inline void check_same(const Envelope& a, const Envelope& b) {
  CHECK(a.id == b.id);
  CHECK(a.generation == b.generation);
  CHECK(a.received_at == b.received_at);
  CHECK(a.platform == b.platform);
  CHECK(a.event == b.event);
  CHECK(a.action == b.action);
  CHECK(a.delivery_id == b.delivery_id);
  CHECK(a.dedup_key == b.dedup_key);
  CHECK(a.tenant == b.tenant);
  CHECK(a.priority == b.priority);
  CHECK(a.trigger == b.trigger);
  CHECK(a.target.kind == b.target.kind);
  CHECK(a.target.name == b.target.name);
  CHECK(a.report == b.report);
  CHECK(a.text == b.text);
  CHECK(a.channel_id == b.channel_id);
  CHECK(a.thread_id == b.thread_id);
  CHECK(a.user == b.user);
  CHECK(a.metadata == b.metadata);
  CHECK(a.headers == b.headers);
  CHECK(a.body == b.body);
  CHECK(a.body_ref == b.body_ref);
  CHECK(a.attempt == b.attempt);
  CHECK(a.traceparent == b.traceparent);
  REQUIRE(a.history.size() == b.history.size());
  for (std::size_t i = 0; i < a.history.size(); ++i) {
    CHECK(a.history[i].attempt == b.history[i].attempt);
    CHECK(a.history[i].worker == b.history[i].worker);
    CHECK(a.history[i].at == b.history[i].at);
    CHECK(a.history[i].error_class == b.history[i].error_class);
    CHECK(a.history[i].message == b.history[i].message);
  }
  REQUIRE(a.replays.size() == b.replays.size());
  for (std::size_t i = 0; i < a.replays.size(); ++i) {
    CHECK(a.replays[i].from_generation == b.replays[i].from_generation);
    CHECK(a.replays[i].by == b.replays[i].by);
    CHECK(a.replays[i].at == b.replays[i].at);
    CHECK(a.replays[i].changes == b.replays[i].changes);
  }
}

}  // namespace aof::event::testing
