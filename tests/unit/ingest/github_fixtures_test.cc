// GitHub's webhook events as GitHub sends them (issue 6 item 7), each signed in the test:
// valid (routed by its <event>.<action> binding, with AOF's text), tampered, unsigned,
// signed with another secret, and replayed (the same delivery keeps its dedup key).
// GitHub signs no timestamp, so it has no stale variant: redeliveries are dedup's job.
#include <doctest/doctest.h>

#include "common/ingest/ingress.h"
#include "tests/unit/ingest/ingest_test_support.h"

namespace aof::ingest {
namespace {

using testing::agent;
using testing::fixture;
using testing::github_request;
using testing::secret;

constexpr const char* kSecret = "It's a Secret to Everybody";

struct Case {
  const char* file;          // under tests/testdata/ingest/
  const char* event;         // X-GitHub-Event
  const char* key;           // the binding it is routed by
  const char* text_prefix;   // AOF's text
  const char* channel;       // AOF's channel_id
};

const Case kCases[] = {
    {"pull_request_opened.json", "pull_request", "pull_request.opened", "pr:opened:main:",
     "acme-org/payments#42"},
    {"github/pull_request_synchronize.json", "pull_request", "pull_request.synchronize",
     "pr:synchronize:main:feature/capture-retry #42", "acme-org/payments#42"},
    {"github/pull_request_closed.json", "pull_request", "pull_request.closed",
     "pr:closed:main:feature/capture-retry #42", "acme-org/payments#42"},
    {"github/pull_request_review_submitted.json", "pull_request_review",
     "pull_request_review.submitted", "pull_request_review:submitted", "acme-org/payments"},
    {"issues_opened.json", "issues", "issues.opened", "issue:opened:#", "acme-org/payments#"},
    {"issue_comment_created.json", "issue_comment", "issue_comment.created", "/summarize",
     "acme-org/payments#42"},
    {"push.json", "push", "push", "push:pushed ", "acme-org/payments"},
    {"github/workflow_run_completed.json", "workflow_run", "workflow_run.completed",
     "workflow:completed:CI failure on feature/capture-retry", "acme-org/payments"},
    {"github/check_run_completed.json", "check_run", "check_run.completed",
     "check:completed:unit-tests success", "acme-org/payments"},
    {"github/release_published.json", "release", "release.published", "release:published",
     "acme-org/payments"},
};

IngressSettings settings() {
  IngressSettings s;
  s.github.enabled = true;
  s.github.secrets = {secret(kSecret)};
  std::map<std::string, config::CommandBinding> commands;
  for (const Case& c : kCases) commands[c.key] = agent(std::string("agent-for-") + c.key);
  s.github.triggers.push_back(
      testing::trigger_settings(testing::github_trigger("all-events", std::move(commands))));
  return s;
}

}  // namespace

TEST_CASE("every GitHub fixture: valid, tampered, unsigned, wrong secret, replayed") {
  testing::IngressHarness h(settings());
  for (const Case& c : kCases) {
    INFO(std::string(c.file));
    const std::string body = fixture(c.file);
    REQUIRE_FALSE(body.empty());
    const auto e = h.envelope(github_request(c.event, body, kSecret, "delivery-1"));
    CHECK(e.target.name == std::string("agent-for-") + c.key);
    CHECK_MESSAGE(e.text.rfind(c.text_prefix, 0) == 0, e.text);
    CHECK(e.channel_id.rfind(c.channel, 0) == 0);
    CHECK(e.tenant == "acme-org");
    CHECK(e.dedup_key == "github:delivery-1");

    std::string tampered = body;
    tampered.insert(tampered.find('{') + 1, " ");
    IngressRequest forged = github_request(c.event, body, kSecret, "delivery-2");
    forged.body = tampered;
    CHECK(h.answer(forged).status == 401);
    CHECK(h.answer(github_request(c.event, body, "", "delivery-3")).status == 401);
    CHECK(h.answer(github_request(c.event, body, "another secret", "delivery-4")).status == 401);
    // A redelivery carries the same X-GitHub-Delivery: the same key, so the broker drops it.
    CHECK(h.envelope(github_request(c.event, body, kSecret, "delivery-1")).dedup_key ==
          e.dedup_key);
  }
}

}  // namespace aof::ingest
