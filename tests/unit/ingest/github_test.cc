#include <doctest/doctest.h>

#include "common/ingest/bounded_json.h"
#include "common/ingest/github.h"
#include "tests/unit/ingest/ingest_test_support.h"

namespace aof::ingest {
namespace {

using nlohmann::json;

GithubMessage normalized(const std::string& event, const std::string& fixture_name) {
  const Result<json> payload = parse_json_object(testing::fixture(fixture_name));
  REQUIRE(payload.ok());
  Result<GithubMessage> message = normalize_github(event, *payload);
  REQUIRE(message.ok());
  return std::move(message).value();
}

json common_metadata(const std::string& event, const json& action, std::int64_t sender_id,
                     const std::string& sender_login) {
  return {{"event_type", event},         {"action", action},
          {"repo_id", 112233445},        {"repo_full_name", "acme-org/payments"},
          {"repo_private", true},        {"sender_id", sender_id},
          {"sender_login", sender_login}};
}

TEST_CASE("pull_request opened is normalised as AOF does") {
  const GithubMessage m = normalized("pull_request", "pull_request_opened.json");
  CHECK(m.event == "pull_request");
  CHECK(m.action == "opened");
  CHECK(m.text ==
        "pr:opened:main:feature/capture-retry #42 Retry card captures on gateway timeouts - "
        "Captures that time out at the gateway are retried twice.");
  CHECK(m.channel_id == "acme-org/payments#42");
  CHECK(m.thread_id == "pr-42");
  CHECK(m.tenant == "acme-org");
  CHECK(m.repo_full_name == "acme-org/payments");
  CHECK(m.user == json{{"id", "583231"}, {"username", "octocat"}});
  json expected = common_metadata("pull_request", "opened", 583231, "octocat");
  expected.update({{"pr_number", 42},
                   {"pr_title", "Retry card captures on gateway timeouts"},
                   {"pr_state", "open"},
                   {"pr_draft", false},
                   {"pr_base_ref", "main"},
                   {"pr_head_ref", "feature/capture-retry"},
                   {"pr_head_sha", "6dcb09b5b57875f334f61aebed695e2e4193db5e"},
                   {"pr_additions", 120},
                   {"pr_deletions", 14},
                   {"pr_changed_files", 5},
                   {"pr_html_url", "https://github.com/acme-org/payments/pull/42"}});
  CHECK(m.metadata == expected);
  CHECK(m.metadata["pr_number"].is_number_integer());
  CHECK(m.metadata["pr_draft"].is_boolean());
}

TEST_CASE("push is normalised as AOF does") {
  const GithubMessage m = normalized("push", "push.json");
  CHECK(m.action.empty());
  CHECK(m.text == "push:pushed 2 commits to refs/heads/main - Fix lint in retry loop");
  CHECK(m.channel_id == "acme-org/payments");
  CHECK(m.thread_id.empty());
  json expected = common_metadata("push", nullptr, 583231, "octocat");
  expected.update({{"ref", "refs/heads/main"},
                   {"before_sha", "9049f1265b7d61be4a8904a9a27120d2064dab3b"},
                   {"after_sha", "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c"},
                   {"commit_count", 2}});
  CHECK(m.metadata == expected);
  CHECK(m.metadata["action"].is_null());
}

TEST_CASE("issue_comment with a /command passes the command line as the text") {
  const GithubMessage m = normalized("issue_comment", "issue_comment_created.json");
  CHECK(m.text == "/summarize");
  CHECK(m.channel_id == "acme-org/payments#42");
  CHECK(m.thread_id == "issue-42");
  CHECK(m.user == json{{"id", "7654321"}, {"username", "hubot"}});
  json expected = common_metadata("issue_comment", "created", 7654321, "hubot");
  expected.update(
      {{"issue_number", 42},
       {"issue_title", "Retry card captures on gateway timeouts"},
       {"issue_state", "open"},
       {"issue_html_url", "https://github.com/acme-org/payments/pull/42"},
       {"comment_id", 1900001234},
       {"comment_body", "/summarize\r\nplease keep it short"},
       {"comment_html_url", "https://github.com/acme-org/payments/pull/42#issuecomment-1900001234"},
       {"is_pr_comment", true}});
  CHECK(m.metadata == expected);
}

TEST_CASE("issue_comment without a command is comment:<action>:#<n> <first line>") {
  json payload = json::parse(testing::fixture("issue_comment_created.json"));
  payload["comment"]["body"] = "Looks good to me\nbut see the nit";
  payload["issue"]["html_url"] = "https://github.com/acme-org/payments/issues/42";
  const Result<GithubMessage> m = normalize_github("issue_comment", payload);
  REQUIRE(m.ok());
  CHECK(m->text == "comment:created:#42 Looks good to me");
  CHECK(m->metadata["is_pr_comment"] == false);
}

TEST_CASE("issues opened is normalised as AOF does") {
  const GithubMessage m = normalized("issues", "issues_opened.json");
  CHECK(m.text ==
        "issue:opened:#7 Captures fail on Sundays - Every Sunday around 02:00 UTC captures "
        "return 504.");
  CHECK(m.channel_id == "acme-org/payments#7");
  CHECK(m.thread_id == "issue-7");
  CHECK(m.metadata["issue_number"] == 7);
  CHECK(m.metadata["issue_html_url"] == "https://github.com/acme-org/payments/issues/7");
  CHECK_FALSE(m.metadata.contains("comment_id"));
}

TEST_CASE("workflow_run, check_run and other events get AOF's texts") {
  const json base = json::parse(testing::fixture("issues_opened.json"));
  json run = base;
  run.erase("issue");
  run["action"] = "completed";
  run["workflow_run"] = {
      {"name", "CI"}, {"status", "completed"}, {"conclusion", "failure"}, {"head_branch", "main"}};
  CHECK(normalize_github("workflow_run", run)->text == "workflow:completed:CI failure on main");
  json check = base;
  check.erase("issue");
  check["action"] = "created";
  check["check_run"] = {{"name", "lint"}, {"status", "in_progress"}, {"conclusion", nullptr}};
  CHECK(normalize_github("check_run", check)->text == "check:created:lint in_progress");
  json release = base;
  release.erase("issue");
  release["action"] = "published";
  CHECK(normalize_github("release", release)->text == "release:published");
  CHECK(normalize_github("release", release)->channel_id == "acme-org/payments");
}

TEST_CASE("payloads without repository, sender or their event object are malformed") {
  const json base = json::parse(testing::fixture("pull_request_opened.json"));
  json no_repo = base;
  no_repo.erase("repository");
  CHECK(normalize_github("pull_request", no_repo).error().message() == "payload has no repository");
  json no_sender = base;
  no_sender.erase("sender");
  CHECK(normalize_github("pull_request", no_sender).error().message() == "payload has no sender");
  json no_pr = base;
  no_pr.erase("pull_request");
  CHECK(normalize_github("pull_request", no_pr).error().message() == "payload has no pull_request");
  json wrong_type = base;
  wrong_type["repository"] = "acme-org/payments";
  CHECK_FALSE(normalize_github("pull_request", wrong_type).ok());
}

TEST_CASE("tenant falls back to the owner part of full_name") {
  json payload = json::parse(testing::fixture("push.json"));
  payload["repository"].erase("owner");
  CHECK(normalize_github("push", payload)->tenant == "acme-org");
}

TEST_CASE("event names are restricted to a safe alphabet") {
  CHECK(is_valid_github_event_name("pull_request_review_comment"));
  CHECK_FALSE(is_valid_github_event_name(""));
  CHECK_FALSE(is_valid_github_event_name("push event"));
  CHECK_FALSE(is_valid_github_event_name("\xff\xfe"));
  CHECK_FALSE(is_valid_github_event_name(std::string(65, 'a')));
}

}  // namespace
}  // namespace aof::ingest
