// Jira through the ingress (issue 6 items 2, 5, 7): X-Hub-Signature over the raw body before
// anything is parsed, webhookEvent bound as sent, without "jira:" (as AOF's examples bind),
// and as "<event>.<action>", AOF's texts and metadata, "/command" comments,
// platforms.jira.allowed_projects / allowed_events, apps ignored, the webhook identifier as
// the dedup key.
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
using testing::platform_trigger;
using testing::secret;

constexpr const char* kSecret = "jira-webhook-secret-b41e";
constexpr const char* kIdentifier = "e52b6b5b-1c4a-4e33-9c0d-7f2b8e9a1d63";
constexpr const char* kSprintStarted =
    R"({"timestamp":1715644931412,"webhookEvent":"sprint_started",)"
    R"("sprint":{"id":7,"name":"Sprint 12","state":"active","originBoardId":3}})";

IngressRequest jira_request(const std::string& body, const std::string& signing_secret = kSecret) {
  IngressRequest r = testing::webhook_request("jira", body, "application/json; charset=utf-8");
  r.headers["user-agent"] = "Atlassian Webhook HTTP Client";
  r.headers["x-atlassian-webhook-identifier"] = kIdentifier;
  r.headers["x-atlassian-webhook-flow"] = "Primary";
  if (!signing_secret.empty()) {
    r.headers["x-hub-signature"] = testing::github_signature(signing_secret, body);
  }
  return r;
}

// The bindings of AOF's jira-bug-triage.yaml and jira-sprint-assistant.yaml.
TriggerSettings triage() {
  return platform_trigger("Jira", "jira-bug-triage",
                          {{"issue_created", agent("jira-bug-triage-agent")},
                           {"sprint_started", agent("jira-standup-agent")},
                           {"triage", agent("jira-bug-triage-agent")}});
}

IngressSettings jira_settings(std::map<std::string, std::vector<std::string>> allow_lists = {}) {
  std::vector<TriggerSettings> triggers;
  triggers.push_back(triage());
  IngressSettings s = testing::platform_settings("jira", {secret(kSecret)}, std::move(triggers));
  s.platforms["jira"].allow_lists = std::move(allow_lists);
  return s;
}

using Harness = testing::IngressHarness;

json issue_updated() {
  json body = json::parse(fixture("jira/issue_created.json"));
  body["webhookEvent"] = "jira:issue_updated";
  body["changelog"]["items"] =
      json::array({{{"field", "status"}, {"fromString", "To Do"}, {"toString", "In Progress"}},
                   {{"field", "assignee"}, {"fromString", nullptr}, {"toString", "Mia Krystof"}}});
  return body;
}

}  // namespace

TEST_CASE("jira: X-Hub-Signature over the raw body; tampered, missing or wrong refused") {
  Harness h(jira_settings());
  const std::string body = fixture("jira/issue_created.json");
  h.envelope(jira_request(body));
  IngressRequest tampered = jira_request(body);
  tampered.body.replace(tampered.body.find("PROJ-42"), 7, "PROJ-43");
  CHECK(h.answer(tampered).status == 401);
  CHECK(h.answer(jira_request(body, "")).status == 401);
  CHECK(h.answer(jira_request(body, "jira-webhook-secret-b41f")).status == 401);
  IngressRequest verbatim = jira_request(body);  // AOF took the secret itself as the value
  verbatim.headers["x-hub-signature"] = kSecret;
  CHECK(h.answer(verbatim).status == 401);
}

TEST_CASE("jira: jira:issue_created binds issue_created, with AOF's text and metadata") {
  Harness h(jira_settings());
  const auto e = h.envelope(jira_request(fixture("jira/issue_created.json")));
  CHECK(e.platform == "jira");
  CHECK(e.event == "issue");
  CHECK(e.action == "created");
  CHECK(e.trigger == "jira-bug-triage");
  CHECK(e.target.name == "jira-bug-triage-agent");
  CHECK(e.text ==
        "issue:created:PROJ-42 Checkout fails with 502 for EU customers - Since 09:40 the "
        "checkout API answers 502 for about 20% of EU requests.\nSee the dashboard.");
  CHECK(e.channel_id == "PROJ");
  CHECK(e.thread_id == "PROJ-42");
  CHECK(e.tenant == "PROJ");
  CHECK(e.user == json{{"id", "5b10a2844c20165700ede21g"}, {"username", "Mia Krystof"}});
  CHECK(e.metadata["event_type"] == "jira:issue_created");
  CHECK(e.metadata["issue_key"] == "PROJ-42");
  CHECK(e.metadata["issue_id"] == "10042");
  CHECK(e.metadata["issue_type"] == "Bug");
  CHECK(e.metadata["project_key"] == "PROJ");
  CHECK(e.metadata["priority"] == "High");
  CHECK(e.metadata["status"] == "To Do");
  CHECK(e.metadata["labels"] == json{"checkout", "payments"});
  CHECK(e.metadata["assignee"].is_null());
}

TEST_CASE("jira: binding keys as sent, without jira:, then <event>.<action>, then <event>") {
  const std::string body = fixture("jira/issue_created.json");
  for (const char* key : {"jira:issue_created", "issue_created", "issue.created", "issue"}) {
    CAPTURE(key);
    std::vector<TriggerSettings> triggers;
    triggers.push_back(platform_trigger("Jira", "one-key", {{key, agent("bound")}}));
    Harness h(testing::platform_settings("jira", {secret(kSecret)}, std::move(triggers)));
    CHECK(h.envelope(jira_request(body)).target.name == "bound");
  }
  std::vector<TriggerSettings> triggers;
  triggers.push_back(platform_trigger(
      "Jira", "both", {{"issue", agent("any-issue")}, {"issue_created", agent("created")}}));
  Harness h(testing::platform_settings("jira", {secret(kSecret)}, std::move(triggers)));
  CHECK(h.envelope(jira_request(body)).target.name == "created");
  CHECK(h.envelope(jira_request(issue_updated().dump())).target.name == "any-issue");
}

TEST_CASE("jira: an update's text is its changelog") {
  Harness h(testing::platform_settings(
      "jira", {secret(kSecret)}, {platform_trigger("Jira", "t", {{"issue_updated", agent("a")}})}));
  const auto e = h.envelope(jira_request(issue_updated().dump()));
  CHECK(e.action == "updated");
  CHECK(e.text == "issue:updated:PROJ-42 status: To Do -> In Progress, assignee:  -> Mia Krystof");
  CHECK(e.metadata["changelog"][0] ==
        json{{"field", "status"}, {"from", "To Do"}, {"to", "In Progress"}});
}

TEST_CASE("jira: a /triage comment binds /triage; its author is the user") {
  Harness h(jira_settings());
  const auto e = h.envelope(jira_request(fixture("jira/comment_created.json")));
  CHECK(e.event == "comment");
  CHECK(e.action == "created");
  CHECK(e.target.name == "jira-bug-triage-agent");
  CHECK(e.text == "Execute triage command");  // AOF's text for a bare command
  CHECK(e.thread_id == "PROJ-42");
  CHECK(e.user["username"] == "Mia Krystof");
  CHECK(e.metadata["comment_id"] == "10077");

  json plain = json::parse(fixture("jira/comment_created.json"));
  plain["comment"]["body"] = "Redeployed the edge nodes.";
  const auto answer = h.answer(jira_request(plain.dump()));
  CHECK(answer_status(answer) == "ignored");
  CHECK(answer_reason(answer) == "no binding for comment_created");
}

TEST_CASE("jira: platforms.jira.allowed_projects and allowed_events") {
  const std::string body = fixture("jira/issue_created.json");
  SUBCASE("a listed project or * passes") {
    Harness listed(jira_settings({{"allowed_projects", {"OPS", "PROJ"}}}));
    CHECK(listed.envelope(jira_request(body)).trigger == "jira-bug-triage");
    Harness any(jira_settings({{"allowed_projects", {"*"}}}));
    CHECK(any.envelope(jira_request(body)).trigger == "jira-bug-triage");
  }
  SUBCASE("another project is ignored, not queued") {
    Harness h(jira_settings({{"allowed_projects", {"OPS", "BUG"}}}));
    const auto answer = h.answer(jira_request(body));
    CHECK(answer.status == 200);
    CHECK(answer_reason(answer) == "project PROJ is not in platforms.jira.allowed_projects");
  }
  SUBCASE("an event without a project is refused when projects are listed") {
    Harness h(jira_settings({{"allowed_projects", {"PROJ"}}}));
    const auto answer = h.answer(jira_request(kSprintStarted));
    CHECK(answer_reason(answer) == "project (none) is not in platforms.jira.allowed_projects");
  }
  SUBCASE("allowed_events: the event as sent or without jira:") {
    Harness sent(jira_settings({{"allowed_events", {"jira:issue_created"}}}));
    CHECK(sent.envelope(jira_request(body)).trigger == "jira-bug-triage");
    Harness stripped(jira_settings({{"allowed_events", {"issue_created"}}}));
    CHECK(stripped.envelope(jira_request(body)).trigger == "jira-bug-triage");
    Harness other(jira_settings({{"allowed_events", {"jira:issue_updated"}}}));
    CHECK(answer_reason(other.answer(jira_request(body))) ==
          "event jira:issue_created is not in platforms.jira.allowed_events");
  }
}

TEST_CASE("jira: sprints have no issue: their text is the sprint") {
  Harness h(jira_settings());
  const auto e = h.envelope(jira_request(kSprintStarted));
  CHECK(e.target.name == "jira-standup-agent");
  CHECK(e.text == "sprint:started:Sprint 12");
  CHECK(e.metadata["sprint_name"] == "Sprint 12");
  CHECK(e.channel_id.empty());
}

TEST_CASE("jira: events by an app (accountType app) are ignored") {
  Harness h(jira_settings());
  json body = json::parse(fixture("jira/issue_created.json"));
  body["user"]["accountType"] = "app";
  const auto answer = h.answer(jira_request(body.dump()));
  CHECK(answer_status(answer) == "ignored");
  json comment = json::parse(fixture("jira/comment_created.json"));
  comment["comment"]["author"]["accountType"] = "app";
  CHECK(answer_status(h.answer(jira_request(comment.dump()))) == "ignored");
}

TEST_CASE("jira: X-Atlassian-Webhook-Identifier is the dedup key, else the body's hash") {
  Harness h(jira_settings());
  const std::string body = fixture("jira/issue_created.json");
  IngressRequest r = jira_request(body);
  const auto first = h.envelope(r);
  CHECK(first.dedup_key == std::string("jira:") + kIdentifier);
  CHECK(h.envelope(r).dedup_key == first.dedup_key);
  r.headers.erase("x-atlassian-webhook-identifier");
  CHECK(h.envelope(r).dedup_key == "jira:sha256:" + sha256_hex(body));
}

TEST_CASE("jira: malformed bodies are 400 once the signature verified") {
  Harness h(jira_settings());
  CHECK(answer_reason(h.answer(jira_request(R"({"issue":{}})"))) ==
        "jira payload without a webhookEvent");
  CHECK(answer_reason(h.answer(jira_request(R"({"webhookEvent":"jira:issue_created"})"))) ==
        "jira issue event without issue.key");
  CHECK(h.answer(jira_request("webhookEvent=jira:issue_created")).status == 400);
  json no_body = json::parse(fixture("jira/comment_created.json"));
  no_body["comment"].erase("body");
  CHECK(answer_reason(h.answer(jira_request(no_body.dump()))) ==
        "jira comment_created without comment.body");
}

}  // namespace aof::ingest
