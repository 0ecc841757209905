// GitLab through the ingress (issue 6 items 2, 5, 7): X-Gitlab-Token before anything is
// parsed (and never kept), object_kind / object_attributes.action as event and action, AOF's
// texts, "/command" notes, pipeline status as the action, Idempotency-Key as the dedup key,
// the repositories filter, unbound events ignored.
#include <doctest/doctest.h>

#include "common/base/digest.h"
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

constexpr const char* kToken = "glwt-7f3a9c2e1b";
constexpr const char* kIdempotencyKey = "5b0f3c1e-3c1d-4f6a-9a51-3f6f1c2d7e90";
constexpr const char* kEventUuid = "0c8e1a9e-5a5f-4b8e-8f43-2b1a3f6e9d11";

IngressRequest gitlab_request(const std::string& hook, const std::string& body,
                              const std::string& token = kToken) {
  IngressRequest r = testing::webhook_request("gitlab", body, "application/json");
  r.headers["user-agent"] = "GitLab/17.5.0";
  r.headers["x-gitlab-event"] = hook;
  r.headers["x-gitlab-instance"] = "https://gitlab.example.com";
  r.headers["x-gitlab-webhook-uuid"] = "3c5a8b5e-0d4e-4b1a-9f7c-6e2d1a0b9c88";
  r.headers["x-gitlab-event-uuid"] = kEventUuid;
  r.headers["idempotency-key"] = kIdempotencyKey;
  if (!token.empty()) r.headers["x-gitlab-token"] = token;
  return r;
}

// gitlab-mr-review.yaml's automatic bindings and /review.
TriggerSettings mr_bot(std::vector<std::string> repositories = {}) {
  return platform_trigger("GitLab", "gitlab-mr-bot",
                          {{"merge_request.open", fleet("pr-review-fleet")},
                           {"pipeline.failed", agent("devops")},
                           {"review", fleet("pr-review-fleet")}},
                          json::object(), std::move(repositories));
}

IngressSettings gitlab_settings(std::vector<TriggerSettings> triggers) {
  return testing::platform_settings("gitlab", {secret(kToken)}, std::move(triggers));
}

struct Harness : testing::IngressHarness {
  explicit Harness(IngressSettings settings = gitlab_settings({}))
      : IngressHarness(std::move(settings)) {}
};

Harness with_bot() {
  std::vector<TriggerSettings> triggers;
  triggers.push_back(mr_bot());
  return Harness(gitlab_settings(std::move(triggers)));
}

}  // namespace

TEST_CASE("gitlab: X-Gitlab-Token is required and compared exactly; it is never kept") {
  Harness h = with_bot();
  const std::string body = fixture("gitlab/merge_request.json");
  CHECK(h.answer(gitlab_request("Merge Request Hook", body, "")).status == 401);
  CHECK(h.answer(gitlab_request("Merge Request Hook", body, "glwt-7f3a9c2e1c")).status == 401);
  const auto e = h.envelope(gitlab_request("Merge Request Hook", body));
  CHECK_FALSE(e.headers.count("x-gitlab-token"));
  CHECK(e.headers.at("x-gitlab-event") == "Merge Request Hook");
  CHECK(e.headers.at("idempotency-key") == kIdempotencyKey);
  CHECK(h.ingress.answer_published(e, PublishOutcome::kAccepted).status == 202);
}

TEST_CASE("gitlab: the token does not cover the body (GitLab signs nothing): TLS protects it") {
  Harness h = with_bot();
  json body = json::parse(fixture("gitlab/merge_request.json"));
  body["object_attributes"]["title"] = "changed in transit";
  const auto e = h.envelope(gitlab_request("Merge Request Hook", body.dump()));
  CHECK(e.metadata["mr_title"] == "changed in transit");
}

TEST_CASE("gitlab: a merge request binds merge_request.open, with AOF's text and metadata") {
  Harness h = with_bot();
  const auto e =
      h.envelope(gitlab_request("Merge Request Hook", fixture("gitlab/merge_request.json")));
  CHECK(e.platform == "gitlab");
  CHECK(e.event == "merge_request");
  CHECK(e.action == "open");
  CHECK(e.trigger == "gitlab-mr-bot");
  CHECK(e.target.kind == event::TargetKind::kAgentFleet);
  CHECK(e.target.name == "pr-review-fleet");
  CHECK(e.text == "mr:open:master:ms-viewport !1 MS-Viewport - Viewport meta tag for mobile");
  CHECK(e.channel_id == "gitlabhq/gitlab-test!1");
  CHECK(e.thread_id == "mr-1");
  CHECK(e.tenant == "gitlabhq");
  CHECK(e.user == json{{"id", "1"}, {"username", "root"}});
  CHECK(e.metadata["project_path"] == "gitlabhq/gitlab-test");
  CHECK(e.metadata["project_id"] == 1);
  CHECK(e.metadata["mr_iid"] == 1);
  CHECK(e.metadata["mr_title"] == "MS-Viewport");
  CHECK(e.metadata["mr_source_branch"] == "ms-viewport");
  CHECK(e.metadata["mr_target_branch"] == "master");
  CHECK(e.metadata["mr_url"] == "http://example.com/diaspora/merge_requests/1");
  CHECK(e.metadata["gitlab_event"] == "Merge Request Hook");
}

TEST_CASE("gitlab: binding keys \"<event>.<action>\" first, then \"<event>\"; unbound is ignored") {
  json update = json::parse(fixture("gitlab/merge_request.json"));
  update["object_attributes"]["action"] = "update";
  SUBCASE("merge_request.update is not bound by merge_request.open: ignored, not queued") {
    Harness h = with_bot();
    const auto answer = h.answer(gitlab_request("Merge Request Hook", update.dump()));
    CHECK(answer.status == 200);
    CHECK(answer_status(answer) == "ignored");
    CHECK(answer_reason(answer) == "no binding for merge_request.update");
  }
  SUBCASE("a bare merge_request binds every action, after the specific key") {
    std::vector<TriggerSettings> triggers;
    triggers.push_back(platform_trigger(
        "GitLab", "any-mr",
        {{"merge_request", agent("mr-watcher")}, {"merge_request.update", agent("re-reviewer")}}));
    Harness h(gitlab_settings(std::move(triggers)));
    CHECK(h.envelope(gitlab_request("Merge Request Hook", update.dump())).target.name ==
          "re-reviewer");
    CHECK(h.envelope(gitlab_request("Merge Request Hook", fixture("gitlab/merge_request.json")))
              .target.name == "mr-watcher");
  }
}

TEST_CASE("gitlab: a note whose first line is /review binds /review with the rest as text") {
  Harness h = with_bot();
  const auto e = h.envelope(gitlab_request("Note Hook", fixture("gitlab/note_merge_request.json")));
  CHECK(e.event == "note");
  CHECK(e.action == "create");
  CHECK(e.trigger == "gitlab-mr-bot");
  CHECK(e.target.name == "pr-review-fleet");
  CHECK(e.text == "security");
  CHECK(e.channel_id == "gitlab-org/gitlab-test!1");
  CHECK(e.metadata["mr_iid"] == 1);
  CHECK(e.metadata["note_body"] == "/review security\nPlease look at the auth changes.");
  CHECK(e.metadata["noteable_type"] == "MergeRequest");

  json plain = json::parse(fixture("gitlab/note_merge_request.json"));
  plain["object_attributes"]["note"] = "This MR needs work.";
  const auto ignored = h.answer(gitlab_request("Note Hook", plain.dump()));
  CHECK(answer_status(ignored) == "ignored");
  CHECK(answer_reason(ignored) == "no binding for note.create");
}

TEST_CASE("gitlab: a pipeline's status is its action, so pipeline.failed binds") {
  Harness h = with_bot();
  const auto e = h.envelope(gitlab_request("Pipeline Hook", fixture("gitlab/pipeline.json")));
  CHECK(e.event == "pipeline");
  CHECK(e.action == "failed");
  CHECK(e.target.name == "devops");
  CHECK(e.text == "pipeline:failed:31 on master");
  CHECK(e.channel_id == "gitlab-org/gitlab-test!1");  // the merge request it ran for
  CHECK(e.metadata["pipeline_status"] == "failed");
  CHECK(e.metadata["pipeline_id"] == 31);

  json passed = json::parse(fixture("gitlab/pipeline.json"));
  passed["object_attributes"]["status"] = "success";
  CHECK(answer_reason(h.answer(gitlab_request("Pipeline Hook", passed.dump()))) ==
        "no binding for pipeline.success");
}

TEST_CASE("gitlab: a push binds push; its user comes from user_id / user_username") {
  std::vector<TriggerSettings> triggers;
  triggers.push_back(platform_trigger("GitLab", "builds", {{"push", agent("builder")}}));
  Harness h(gitlab_settings(std::move(triggers)));
  const auto e = h.envelope(gitlab_request("Push Hook", fixture("gitlab/push.json")));
  CHECK(e.event == "push");
  CHECK(e.action == "");
  CHECK(e.target.name == "builder");
  CHECK(e.text == "push:pushed 4 commits to refs/heads/master - fixed readme");
  CHECK(e.channel_id == "mike/diaspora");
  CHECK(e.tenant == "mike");
  CHECK(e.user == json{{"id", "4"}, {"username", "jsmith"}});
  CHECK(e.metadata["commit_count"] == 4);
  CHECK(e.metadata["after_sha"] == "da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
  CHECK(e.metadata["action"].is_null());
}

TEST_CASE("gitlab: Idempotency-Key is the dedup key, then X-Gitlab-Event-UUID, then the body") {
  Harness h = with_bot();
  const std::string body = fixture("gitlab/merge_request.json");
  IngressRequest r = gitlab_request("Merge Request Hook", body);
  const auto first = h.envelope(r);
  const auto replay = h.envelope(r);
  CHECK(first.dedup_key == std::string("gitlab:") + kIdempotencyKey);
  CHECK(replay.dedup_key == first.dedup_key);  // a redelivery is a duplicate
  CHECK(replay.id != first.id);
  CHECK(first.delivery_id == kIdempotencyKey);
  r.headers.erase("idempotency-key");
  CHECK(h.envelope(r).dedup_key == std::string("gitlab:") + kEventUuid);
  r.headers.erase("x-gitlab-event-uuid");
  CHECK(h.envelope(r).dedup_key == "gitlab:sha256:" + sha256_hex(body));
  r.headers["idempotency-key"] = "has space";
  CHECK(h.answer(r).status == 400);
}

TEST_CASE("gitlab: a trigger's repositories filter the project path") {
  const std::string body = fixture("gitlab/merge_request.json");
  SUBCASE("a group wildcard admits it") {
    std::vector<TriggerSettings> triggers;
    triggers.push_back(mr_bot({"gitlabhq/*"}));
    Harness h(gitlab_settings(std::move(triggers)));
    CHECK(h.envelope(gitlab_request("Merge Request Hook", body)).trigger == "gitlab-mr-bot");
  }
  SUBCASE("another group does not: ignored with the filter's reason") {
    std::vector<TriggerSettings> triggers;
    triggers.push_back(mr_bot({"mygroup/*", "myorg/important-repo"}));
    Harness h(gitlab_settings(std::move(triggers)));
    const auto answer = h.answer(gitlab_request("Merge Request Hook", body));
    CHECK(answer_status(answer) == "ignored");
    CHECK(answer_reason(answer) ==
          "trigger gitlab-mr-bot: repositories does not match gitlabhq/gitlab-test");
  }
}

TEST_CASE("gitlab: malformed requests are 400, group events without object_kind ignored") {
  Harness h = with_bot();
  const std::string body = fixture("gitlab/merge_request.json");
  IngressRequest no_event = gitlab_request("Merge Request Hook", body);
  no_event.headers.erase("x-gitlab-event");
  CHECK(answer_reason(h.answer(no_event)) == "missing X-Gitlab-Event header");
  CHECK(answer_reason(h.answer(gitlab_request("Merge\x01Hook", body))) ==
        "invalid X-Gitlab-Event header");
  CHECK(answer_reason(h.answer(gitlab_request("Merge Request Hook", "{not json"))) ==
        "body is not valid JSON");
  json no_iid = json::parse(body);
  no_iid["object_attributes"].erase("iid");
  CHECK(answer_reason(h.answer(gitlab_request("Merge Request Hook", no_iid.dump()))) ==
        "gitlab merge_request without object_attributes.iid");
  json bad_kind = json::parse(body);
  bad_kind["object_kind"] = "merge request";
  CHECK(h.answer(gitlab_request("Merge Request Hook", bad_kind.dump())).status == 400);
  const auto member = h.answer(gitlab_request(
      "Member Hook", R"({"event_name":"user_add_to_group","group_path":"webhook-test"})"));
  CHECK(member.status == 200);
  CHECK(answer_status(member) == "ignored");
}

TEST_CASE("gitlab: events by platforms.gitlab.bot_name are ignored") {
  IngressSettings s = gitlab_settings({});
  s.platforms["gitlab"].triggers.push_back(mr_bot());
  s.platforms["gitlab"].bot_name = "root";
  Harness h(s);
  const auto answer =
      h.answer(gitlab_request("Merge Request Hook", fixture("gitlab/merge_request.json")));
  CHECK(answer_status(answer) == "ignored");
  CHECK(answer_reason(answer) == "written by root (an agent never triggers itself)");
}

}  // namespace aof::ingest
