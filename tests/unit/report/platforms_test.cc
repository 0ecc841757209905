// Each platform's reply as the fake of its API receives it: method, path, auth headers and
// body, exactly (reference §3.1-§3.7).
#include <doctest/doctest.h>

#include "tests/unit/report/report_fixture.h"

namespace aof::runtime::report {
namespace {

using nlohmann::json;
using testing::github_pr_event;
using testing::ReportFixture;

aof::testing::RecordedRequest only_request(const ReportFixture& f) {
  auto requests = f.api.requests();
  REQUIRE(requests.size() == 1);
  return requests.front();
}

TEST_CASE("report github: a PR comment with the bearer token and GitHub's headers") {
  ReportFixture f;
  f.api.reply_json(R"({"id": 1})", 201);
  auto posted = f.reporter()->report(github_pr_event(), {true, "LGTM"});
  REQUIRE(posted.ok());
  CHECK(*posted == Outcome::kPosted);
  const auto r = only_request(f);
  CHECK(r.method == "POST");
  CHECK(r.target == "/repos/acme/api/issues/42/comments");
  CHECK(r.headers.at("authorization") == "Bearer ghp_test");
  CHECK(r.headers.at("accept") == "application/vnd.github+json");
  CHECK(r.headers.at("x-github-api-version") == "2022-11-28");
  CHECK(r.headers.at("user-agent") == "aof-scale (aofbot)");
  CHECK(json::parse(r.body) == json{{"body", "✅ LGTM"}});
}

TEST_CASE("report github: review asked for on a PR → a COMMENT review on /pulls/N/reviews") {
  ReportFixture f;
  f.api.reply_json(R"({"id": 80, "state": "COMMENTED"})", 200);
  auto e = github_pr_event();
  e.report = "review";
  auto posted = f.reporter()->report(e, {true, "Two nits, otherwise fine."});
  REQUIRE(posted.ok());
  CHECK(*posted == Outcome::kPosted);
  const auto r = only_request(f);
  CHECK(r.method == "POST");
  CHECK(r.target == "/repos/acme/api/pulls/42/reviews");
  CHECK(r.headers.at("authorization") == "Bearer ghp_test");
  CHECK(r.headers.at("accept") == "application/vnd.github+json");
  CHECK(r.headers.at("x-github-api-version") == "2022-11-28");
  CHECK(r.headers.at("content-type") == "application/json");
  CHECK(json::parse(r.body) == json{{"body", "✅ Two nits, otherwise fine."}, {"event", "COMMENT"}});
}

TEST_CASE("report github: review asked for by a comment on a PR's conversation → a review") {
  ReportFixture f;
  f.api.reply_json("{}", 200);
  auto e = github_pr_event();
  e.event = "issue_comment";
  e.action = "created";
  e.metadata = {{"is_pr_comment", true}, {"issue_number", 42}};
  e.report = "review";
  REQUIRE(f.reporter()->report(e, text_of_error("model refused")).ok());
  const auto r = only_request(f);
  CHECK(r.target == "/repos/acme/api/pulls/42/reviews");
  CHECK(json::parse(r.body) ==
        json{{"body", "❌ Sorry, I encountered an error: model refused"}, {"event", "COMMENT"}});
}

TEST_CASE("report github: review asked for on an issue falls back to a comment") {
  for (const char* event : {"issues", "issue_comment"}) {
    ReportFixture f;
    f.api.reply_json("{}", 201);
    auto e = github_pr_event();
    e.event = event;
    e.action = "opened";
    e.thread_id = "issue-42";
    e.metadata = {{"is_pr_comment", false}};  // a comment on a plain issue
    e.report = "review";
    REQUIRE(f.reporter()->report(e, {true, "Triaged."}).ok());
    const auto r = only_request(f);
    CHECK(r.target == "/repos/acme/api/issues/42/comments");
    CHECK(json::parse(r.body) == json{{"body", "✅ Triaged."}});
  }
}

TEST_CASE("report github: a failure reads as AOF's error reply") {
  ReportFixture f;
  f.api.reply_json("{}", 201);
  REQUIRE(f.reporter()->report(github_pr_event(), text_of_error("model refused")).ok());
  CHECK(json::parse(only_request(f).body)["body"] ==
        "❌ Sorry, I encountered an error: model refused");
}

TEST_CASE("report github: a push (channel without #N) posts nothing") {
  ReportFixture f;
  auto e = github_pr_event();
  e.channel_id = "acme/api";
  auto posted = f.reporter()->report(e, {true, "x"});
  REQUIRE(posted.ok());
  CHECK(*posted == Outcome::kSkipped);
  CHECK(f.api.requests().empty());
}

TEST_CASE("report github: a missing token skips, not fails") {
  ReportFixture f;
  f.env.erase("GH_TOKEN");
  auto reporter = f.reporter();
  for (int i = 0; i < 2; ++i) {  // warned once (log), skipped every time
    auto posted = reporter->report(github_pr_event(), {true, "x"});
    REQUIRE(posted.ok());
    CHECK(*posted == Outcome::kSkipped);
  }
  CHECK(f.api.requests().empty());
}

TEST_CASE("report github: a comment is cut at 65536 bytes on a UTF-8 boundary") {
  ReportFixture f;
  f.api.reply_json("{}", 201);
  std::string long_text;
  while (long_text.size() < 70000) long_text += "é";  // two bytes each
  REQUIRE(f.reporter()->report(github_pr_event(), {true, long_text}).ok());
  const std::string body = json::parse(only_request(f).body)["body"];  // parses: valid UTF-8
  CHECK(body.size() <= 65536);
  CHECK(body.size() > 65000);
  CHECK(body.ends_with("\n… (truncated)"));
}

TEST_CASE("report github: 5xx and 429 are retryable errors, 4xx a refusal") {
  ReportFixture f;
  f.api.reply_json(R"({"message":"down"})", 502);
  auto posted = f.reporter()->report(github_pr_event(), {true, "x"});
  REQUIRE_FALSE(posted.ok());
  CHECK(posted.error().code() == ErrorCode::kUnavailable);
  CHECK(posted.error().message() == "report to github: HTTP 502");
  f.api.reply_json(R"({"message":"Not Found"})", 404);
  posted = f.reporter()->report(github_pr_event(), {true, "x"});
  REQUIRE(posted.ok());
  CHECK(*posted == Outcome::kRefused);
}

TEST_CASE("report slack: chat.postMessage in the thread, ok:false is a refusal") {
  ReportFixture f;
  f.api.reply_json(R"({"ok": true, "ts": "1.2"})");
  event::Envelope e;
  e.id = "E1";
  e.platform = "slack";
  e.channel_id = "C0123";
  e.thread_id = "1700000000.000100";
  REQUIRE(f.reporter()->report(e, {true, "*done*"}).ok());
  const auto r = only_request(f);
  CHECK(r.target == "/chat.postMessage");
  CHECK(r.headers.at("authorization") == "Bearer xoxb-test");
  CHECK(r.headers.at("content-type") == "application/json; charset=utf-8");
  CHECK(json::parse(r.body) ==
        json::parse(R"({"channel": "C0123", "text": "✅ *done*", "thread_ts": "1700000000.000100",
          "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "✅ *done*"}}]})"));
  f.api.reply_json(R"({"ok": false, "error": "channel_not_found"})");
  auto refused = f.reporter()->report(e, {true, "x"});
  REQUIRE(refused.ok());
  CHECK(*refused == Outcome::kRefused);
}

TEST_CASE("report slack: text over a section block's 3000 goes without blocks, cut at 40000") {
  ReportFixture f;
  f.api.reply_json(R"({"ok": true})");
  event::Envelope e;
  e.platform = "slack";
  e.channel_id = "C0123";
  REQUIRE(f.reporter()->report(e, {true, std::string(50000, 'a')}).ok());
  const auto body = json::parse(only_request(f).body);
  CHECK_FALSE(body.contains("blocks"));
  CHECK_FALSE(body.contains("thread_ts"));
  CHECK(body["text"].get<std::string>().size() <= 40000);
}

TEST_CASE("report discord: edits the deferred response with the interaction token") {
  ReportFixture f;
  f.api.reply_json(R"({"id": "m1"})");
  event::Envelope e;
  e.platform = "discord";
  e.channel_id = "c1";
  e.metadata = {{"application_id", "app42"}, {"interaction_token", "itok"}};
  REQUIRE(f.reporter()->report(e, {true, std::string(3000, 'x')}).ok());
  const auto r = only_request(f);
  CHECK(r.method == "PATCH");
  CHECK(r.target == "/webhooks/app42/itok/messages/@original");
  CHECK(r.headers.count("authorization") == 0);
  const std::string content = json::parse(r.body)["content"];
  CHECK(content.size() <= 2000);
  CHECK(content.starts_with("✅ xxx"));
}

TEST_CASE("report telegram: sendMessage with MarkdownV2 specials escaped") {
  ReportFixture f;
  f.api.reply_json(R"({"ok": true})");
  event::Envelope e;
  e.platform = "telegram";
  e.channel_id = "-100123";
  REQUIRE(f.reporter()->report(e, {true, "pods: 3 (ok). see_log!"}).ok());
  const auto r = only_request(f);
  CHECK(r.target == "/bot123:abc/sendMessage");
  CHECK(json::parse(r.body) == json{{"chat_id", "-100123"},
                                    {"text", "✅ pods: 3 \\(ok\\)\\. see\\_log\\!"},
                                    {"parse_mode", "MarkdownV2"}});
  e.thread_id = "77";  // a forum topic
  f.api.reply_json(R"({"ok": true})");
  REQUIRE(f.reporter()->report(e, {true, "x"}).ok());
  CHECK(json::parse(f.api.requests().back().body)["message_thread_id"] == 77);
}

TEST_CASE("report whatsapp: a Graph text message from the business number") {
  ReportFixture f;
  f.api.reply_json(R"({"messages": [{"id": "w1"}]})");
  event::Envelope e;
  e.platform = "whatsapp";
  e.channel_id = "15551234567";
  e.metadata = {{"phone_number_id", "1098765"}};
  REQUIRE(f.reporter()->report(e, {true, "hi"}).ok());
  const auto r = only_request(f);
  CHECK(r.target == "/1098765/messages");
  CHECK(r.headers.at("authorization") == "Bearer EAAtest");
  CHECK(json::parse(r.body) == json{{"messaging_product", "whatsapp"},
                                    {"to", "15551234567"},
                                    {"type", "text"},
                                    {"text", {{"body", "✅ hi"}}}});
}

TEST_CASE("report jira: an ADF comment on the issue key, not the project key") {
  ReportFixture f;
  f.api.reply_json(R"({"id": "10001"})", 201);
  event::Envelope e;
  e.platform = "jira";
  e.channel_id = "OPS";
  e.thread_id = "OPS-17";
  REQUIRE(f.reporter()->report(e, {true, "triaged"}).ok());
  const auto r = only_request(f);
  CHECK(r.target == "/rest/api/3/issue/OPS-17/comment");
  // base64("bot@example.com:jira-secret")
  CHECK(r.headers.at("authorization") == "Basic Ym90QGV4YW1wbGUuY29tOmppcmEtc2VjcmV0");
  CHECK(json::parse(r.body) == json::parse(R"({"body": {"type": "doc", "version": 1,
      "content": [{"type": "paragraph", "content": [{"type": "text", "text": "✅ triaged"}]}]}})"));
}

TEST_CASE("report pagerduty: an incident note with Token auth and From") {
  ReportFixture f;
  f.api.reply_json(R"({"note": {}})", 201);
  event::Envelope e;
  e.platform = "pagerduty";
  e.channel_id = "PT4KHLK";
  REQUIRE(f.reporter()->report(e, {false, "x"}).ok());
  const auto r = only_request(f);
  CHECK(r.target == "/incidents/PT4KHLK/notes");
  CHECK(r.headers.at("authorization") == "Token token=pd-key");
  CHECK(r.headers.at("from") == "oncall@example.com");
  CHECK(json::parse(r.body) == json{{"note", {{"content", "❌ x"}}}});
}

TEST_CASE("report gitlab: a merge request note with PRIVATE-TOKEN") {
  ReportFixture f;
  f.api.reply_json(R"({"id": 5})", 201);
  event::Envelope e;
  e.platform = "gitlab";
  e.channel_id = "grp/svc!7";
  e.metadata = {{"project_id", 99}, {"mr_iid", 7}};
  REQUIRE(f.reporter()->report(e, {true, "ok"}).ok());
  const auto r = only_request(f);
  CHECK(r.target == "/projects/99/merge_requests/7/notes");
  CHECK(r.headers.at("private-token") == "glpat-test");
  CHECK(json::parse(r.body) == json{{"body", "✅ ok"}});
}

TEST_CASE("report: platforms without a reply API are skipped") {
  ReportFixture f;
  event::Envelope e;
  e.platform = "generic";
  auto posted = f.reporter()->report(e, {true, "x"});
  REQUIRE(posted.ok());
  CHECK(*posted == Outcome::kSkipped);
  CHECK(f.api.requests().empty());
}

TEST_CASE("report text: agent output, flow's last node output, else the JSON") {
  CHECK(text_of_result(json{{"output", "a"}, {"iterations", 2}}).text == "a");
  CHECK(text_of_result(json{{"status", "completed"}, {"output", {{"output", "ran"}}}}).text ==
        "ran");
  CHECK(text_of_result(json{{"output", {{"response", "b"}}}}).text == "b");
  CHECK(text_of_result(json{{"output", {{"n", 1}}}}).text == "{\n  \"n\": 1\n}");
  CHECK(text_of_result(json{{"x", 1}}).text == "{\n  \"x\": 1\n}");
}

}  // namespace
}  // namespace aof::runtime::report
