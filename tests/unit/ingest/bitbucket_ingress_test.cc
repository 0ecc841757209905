// Bitbucket Cloud and Data Center through the ingress (issue 6 items 2, 5, 7): X-Hub-Signature
// over the raw body before anything is parsed, X-Event-Key split into event and action and
// bound by its full form first (as AOF's example trigger writes it), AOF's pr: text,
// "/command" comments, X-Request-UUID / X-Request-Id as the dedup key, the repositories
// filter, Data Center's payload shape and its ping.
#include <doctest/doctest.h>

#include "common/ingest/ingress.h"
#include "tests/unit/ingest/ingest_test_support.h"

namespace aof::ingest {
namespace {

using nlohmann::json;
using testing::agent;
using testing::answer_reason;
using testing::answer_status;
using testing::fixture;
using testing::fleet;
using testing::platform_trigger;
using testing::secret;

constexpr const char* kSecret = "bb-webhook-secret-2f9c";
constexpr const char* kRequestUuid = "8a6b1f0e-2d3c-4e5f-8a9b-0c1d2e3f4a5b";

IngressRequest bitbucket_request(const std::string& key, const std::string& body,
                                 const std::string& signing_secret = kSecret) {
  IngressRequest r = testing::webhook_request("bitbucket", body, "application/json");
  r.headers["user-agent"] = "Bitbucket-Webhooks/2.0";
  r.headers["x-event-key"] = key;
  r.headers["x-hook-uuid"] = "{5c2f1f3e-9b6d-4c1a-8e7f-2a3b4c5d6e7f}";
  r.headers["x-request-uuid"] = kRequestUuid;
  r.headers["x-attempt-number"] = "1";
  if (!signing_secret.empty()) {
    r.headers["x-hub-signature"] = testing::github_signature(signing_secret, body);
  }
  return r;
}

// The bindings of AOF's bitbucket-pr-review.yaml.
TriggerSettings pr_bot(std::vector<std::string> repositories = {}) {
  return platform_trigger("Bitbucket", "bitbucket-pr-bot",
                          {{"pullrequest:created", fleet("pr-review-fleet")},
                           {"pullrequest:updated", fleet("pr-review-fleet")},
                           {"repo:push", agent("builder")},
                           {"review", fleet("pr-review-fleet")}},
                          json::object(), std::move(repositories));
}

IngressSettings bitbucket_settings(std::vector<TriggerSettings> triggers) {
  return testing::platform_settings("bitbucket", {secret(kSecret)}, std::move(triggers));
}

IngressSettings with_bot(std::vector<std::string> repositories = {}) {
  std::vector<TriggerSettings> triggers;
  triggers.push_back(pr_bot(std::move(repositories)));
  return bitbucket_settings(std::move(triggers));
}

using Harness = testing::IngressHarness;

}  // namespace

TEST_CASE("bitbucket: X-Hub-Signature over the raw body; tampered, missing or wrong refused") {
  Harness h(with_bot());
  const std::string body = fixture("bitbucket/pullrequest_created.json");
  h.envelope(bitbucket_request("pullrequest:created", body));
  IngressRequest tampered = bitbucket_request("pullrequest:created", body);
  tampered.body.replace(tampered.body.find("OPEN"), 4, "MERG");
  CHECK(h.answer(tampered).status == 401);
  CHECK(h.answer(bitbucket_request("pullrequest:created", body, "")).status == 401);
  CHECK(h.answer(bitbucket_request("pullrequest:created", body, "another-secret")).status == 401);
  IngressRequest sha1 = bitbucket_request("pullrequest:created", body);
  sha1.headers["x-hub-signature"] = "sha1=" + std::string(40, 'a');
  CHECK(h.answer(sha1).status == 401);
}

TEST_CASE("bitbucket: pullrequest:created binds by its full key, with AOF's text") {
  Harness h(with_bot());
  const auto e = h.envelope(
      bitbucket_request("pullrequest:created", fixture("bitbucket/pullrequest_created.json")));
  CHECK(e.platform == "bitbucket");
  CHECK(e.event == "pullrequest");
  CHECK(e.action == "created");
  CHECK(e.trigger == "bitbucket-pr-bot");
  CHECK(e.target.kind == event::TargetKind::kAgentFleet);
  CHECK(e.target.name == "pr-review-fleet");
  CHECK(e.text ==
        "pr:created:main:feature/retry-503 #42 Retry the payment webhook on 503 - "
        "The provider answers 503 during deploys.");
  CHECK(e.channel_id == "acme-team/backend#42");
  CHECK(e.thread_id == "pr-42");
  CHECK(e.tenant == "acme-team");
  CHECK(e.user ==
        json{{"id", "557058:c0b72ad0-1cb5-4018-9cdc-0cde8492c443"}, {"username", "emma"}});
  CHECK(e.metadata["event_key"] == "pullrequest:created");
  CHECK(e.metadata["repo_full_name"] == "acme-team/backend");
  CHECK(e.metadata["pr_number"] == 42);
  CHECK(e.metadata["pr_base_ref"] == "main");
  CHECK(e.metadata["pr_head_ref"] == "feature/retry-503");
  CHECK(e.metadata["pr_html_url"] == "https://bitbucket.org/acme-team/backend/pull-requests/42");
  CHECK(e.headers.count("x-hub-signature") == 1);  // kept, to re-verify
}

TEST_CASE("bitbucket: the full key first, then \"<event>.<action>\", then \"<event>\"") {
  std::vector<TriggerSettings> triggers;
  triggers.push_back(platform_trigger(
      "Bitbucket", "dotted",
      {{"pullrequest.created", agent("dotted")}, {"pullrequest", agent("any-pr")}}));
  triggers.push_back(
      platform_trigger("Bitbucket", "full", {{"pullrequest:created", agent("full")}}));
  const std::string body = fixture("bitbucket/pullrequest_created.json");
  SUBCASE("every form bound: the full key wins, whatever the trigger order") {
    Harness h(bitbucket_settings(triggers));
    CHECK(h.envelope(bitbucket_request("pullrequest:created", body)).target.name == "full");
  }
  SUBCASE("without the full key: the dotted form; other actions: the bare event") {
    triggers.pop_back();
    Harness h(bitbucket_settings(triggers));
    CHECK(h.envelope(bitbucket_request("pullrequest:created", body)).target.name == "dotted");
    CHECK(h.envelope(bitbucket_request("pullrequest:fulfilled", body)).target.name == "any-pr");
  }
  SUBCASE("nothing bound: ignored") {
    Harness h(with_bot());
    const auto answer = h.answer(bitbucket_request("pullrequest:fulfilled", body));
    CHECK(answer_status(answer) == "ignored");
    CHECK(answer_reason(answer) == "no binding for pullrequest:fulfilled");
  }
}

TEST_CASE("bitbucket: a /review comment binds /review; a blank command text is AOF's synthesis") {
  Harness h(with_bot());
  const auto e = h.envelope(bitbucket_request(
      "pullrequest:comment_created", fixture("bitbucket/pullrequest_comment_created.json")));
  CHECK(e.event == "pullrequest");
  CHECK(e.action == "comment_created");
  CHECK(e.target.name == "pr-review-fleet");
  CHECK(e.text ==
        "Review the PR at: https://bitbucket.org/acme-team/backend/pull-requests/42\n"
        "Title: Retry the payment webhook on 503");
  CHECK(e.metadata["comment_id"] == 17);
  CHECK(e.metadata["comment_body"] == "/review\nFocus on the backoff.");
  CHECK(e.channel_id == "acme-team/backend#42");

  json plain = json::parse(fixture("bitbucket/pullrequest_comment_created.json"));
  plain["comment"]["content"]["raw"] = "Looks good to me";
  const auto answer = h.answer(bitbucket_request("pullrequest:comment_created", plain.dump()));
  CHECK(answer_reason(answer) == "no binding for pullrequest:comment_created");
}

TEST_CASE("bitbucket: repo:push binds repo:push with the head commit's first line") {
  Harness h(with_bot());
  const auto e = h.envelope(bitbucket_request("repo:push", fixture("bitbucket/repo_push.json")));
  CHECK(e.event == "repo");
  CHECK(e.action == "push");
  CHECK(e.target.name == "builder");
  CHECK(e.text == "push:pushed 2 commits to main - Retry the payment webhook on 503");
  CHECK(e.channel_id == "acme-team/backend");
  CHECK(e.metadata["commit_count"] == 2);
  CHECK(e.metadata["after_sha"] == "709d658dc5b6d6afcd46049c2f332ee3f515a67d");
}

TEST_CASE("bitbucket: Data Center's pr:opened, named <project key>/<slug>, X-Request-Id") {
  std::vector<TriggerSettings> triggers;
  triggers.push_back(platform_trigger("Bitbucket", "dc", {{"pr:opened", agent("reviewer")}},
                                      json::object(), {"PROJ/*"}));
  Harness h(bitbucket_settings(std::move(triggers)));
  IngressRequest r = bitbucket_request("pr:opened", fixture("bitbucket/dc_pr_opened.json"));
  r.headers.erase("x-request-uuid");
  r.headers["x-request-id"] = "d1a3c5e7-0b2d-4f6a-8c9e-1a3b5c7d9e0f";
  const auto e = h.envelope(r);
  CHECK(e.event == "pr");
  CHECK(e.action == "opened");
  CHECK(e.target.name == "reviewer");
  CHECK(e.text == "pr:opened:master:a-branch #1 a new file added - ");
  CHECK(e.channel_id == "PROJ/repository#1");
  CHECK(e.tenant == "PROJ");
  CHECK(e.user == json{{"id", "1"}, {"username", "admin"}});
  CHECK(e.dedup_key == "bitbucket:d1a3c5e7-0b2d-4f6a-8c9e-1a3b5c7d9e0f");
  const auto ping = h.answer(bitbucket_request("diagnostics:ping", R"({"test":true})"));
  CHECK(ping.status == 200);
  CHECK(answer_status(ping) == "pong");
}

TEST_CASE("bitbucket: X-Request-UUID is the dedup key: a redelivery is the same key") {
  Harness h(with_bot());
  const IngressRequest r =
      bitbucket_request("pullrequest:created", fixture("bitbucket/pullrequest_created.json"));
  const auto first = h.envelope(r);
  const auto again = h.envelope(r);
  CHECK(first.dedup_key == std::string("bitbucket:") + kRequestUuid);
  CHECK(again.dedup_key == first.dedup_key);
  CHECK(again.id != first.id);
}

TEST_CASE("bitbucket: a trigger's repositories filter workspace/repo") {
  const std::string body = fixture("bitbucket/pullrequest_created.json");
  Harness pass(with_bot({"acme-team/*"}));
  CHECK(pass.envelope(bitbucket_request("pullrequest:created", body)).trigger ==
        "bitbucket-pr-bot");
  Harness refuse(with_bot({"myworkspace/*", "myworkspace/backend"}));
  const auto answer = refuse.answer(bitbucket_request("pullrequest:created", body));
  CHECK(answer_status(answer) == "ignored");
  CHECK(answer_reason(answer) ==
        "trigger bitbucket-pr-bot: repositories does not match acme-team/backend");
}

TEST_CASE("bitbucket: malformed requests are 400 once the signature verified") {
  Harness h(with_bot());
  const std::string body = fixture("bitbucket/pullrequest_created.json");
  IngressRequest no_key = bitbucket_request("pullrequest:created", body);
  no_key.headers.erase("x-event-key");
  CHECK(answer_reason(h.answer(no_key)) == "missing X-Event-Key header");
  CHECK(answer_reason(h.answer(bitbucket_request("pull request:created", body))) ==
        "invalid X-Event-Key header");
  CHECK(answer_reason(h.answer(bitbucket_request("pullrequest:created", "[1,2]"))) ==
        "body is not a JSON object");
  json no_id = json::parse(body);
  no_id["pullrequest"].erase("id");
  CHECK(answer_reason(h.answer(bitbucket_request("pullrequest:created", no_id.dump()))) ==
        "bitbucket pullrequest without a numeric pull request id");
  json no_repo = json::parse(body);
  no_repo.erase("repository");
  CHECK(answer_reason(h.answer(bitbucket_request("pullrequest:created", no_repo.dump()))) ==
        "bitbucket payload has no repository.full_name");
}

}  // namespace aof::ingest
