#include <doctest/doctest.h>

#include <regex>

#include "common/ingest/bounded_json.h"
#include "common/ingest/github.h"
#include "common/ingest/github_payload.h"
#include "tests/unit/ingest/ingest_test_support.h"

namespace aof::ingest {
namespace {

using nlohmann::json;
using F = GithubField;

// Every field with its path, in GithubField's order: each is set to its own path below, so a
// field reading the wrong path shows.
const std::vector<std::pair<F, std::string>> kFields = {
    {F::kAction, "action"},
    {F::kZen, "zen"},
    {F::kRepoId, "repository.id"},
    {F::kRepoFullName, "repository.full_name"},
    {F::kRepoPrivate, "repository.private"},
    {F::kRepoOwnerLogin, "repository.owner.login"},
    {F::kSenderId, "sender.id"},
    {F::kSenderLogin, "sender.login"},
    {F::kPrNumber, "pull_request.number"},
    {F::kPrTitle, "pull_request.title"},
    {F::kPrState, "pull_request.state"},
    {F::kPrDraft, "pull_request.draft"},
    {F::kPrBaseRef, "pull_request.base.ref"},
    {F::kPrHeadRef, "pull_request.head.ref"},
    {F::kPrHeadSha, "pull_request.head.sha"},
    {F::kPrAdditions, "pull_request.additions"},
    {F::kPrDeletions, "pull_request.deletions"},
    {F::kPrChangedFiles, "pull_request.changed_files"},
    {F::kPrHtmlUrl, "pull_request.html_url"},
    {F::kPrBody, "pull_request.body"},
    {F::kIssueNumber, "issue.number"},
    {F::kIssueTitle, "issue.title"},
    {F::kIssueState, "issue.state"},
    {F::kIssueHtmlUrl, "issue.html_url"},
    {F::kIssueBody, "issue.body"},
    {F::kCommentId, "comment.id"},
    {F::kCommentBody, "comment.body"},
    {F::kCommentHtmlUrl, "comment.html_url"},
    {F::kRef, "ref"},
    {F::kBefore, "before"},
    {F::kAfter, "after"},
    {F::kCommits, "commits"},
    {F::kHeadCommitMessage, "head_commit.message"},
    {F::kWorkflowRunName, "workflow_run.name"},
    {F::kWorkflowRunConclusion, "workflow_run.conclusion"},
    {F::kWorkflowRunStatus, "workflow_run.status"},
    {F::kWorkflowRunHeadBranch, "workflow_run.head_branch"},
    {F::kCheckRunName, "check_run.name"},
    {F::kCheckRunConclusion, "check_run.conclusion"},
    {F::kCheckRunStatus, "check_run.status"},
};

TEST_CASE("every field reads its own path") {
  json payload = json::object();
  for (const auto& [field, path] : kFields) {
    payload[json::json_pointer("/" + std::regex_replace(path, std::regex("\\."), "/"))] = path;
  }
  const auto read = GithubPayload::parse(payload.dump());
  REQUIRE(read.ok());
  for (const auto& [field, path] : kFields) {
    CAPTURE(path);
    CHECK(read->text(field) == path);
  }
  CHECK(read->is(F::kPullRequest, JsonScalar::Kind::kObject));
  CHECK(read->is(F::kCheckRun, JsonScalar::Kind::kObject));
}

TEST_CASE("integer() keeps the JSON type; anything else is 0") {
  const auto read =
      GithubPayload::parse(R"({"repository":{"id":18446744073709551615},"sender":{"id":-5},)"
                           R"("pull_request":{"number":4.2,"additions":"12"}})");
  REQUIRE(read.ok());
  CHECK(read->integer(F::kRepoId).dump() == "18446744073709551615");
  CHECK(read->integer(F::kSenderId).dump() == "-5");
  CHECK(read->integer(F::kPrNumber) == 0);
  CHECK(read->integer(F::kPrAdditions) == 0);
  CHECK(read->integer(F::kPrDeletions) == 0);
}

// The hot path (raw body) and the tree give the same message, byte for byte.
void check_same_message(const std::string& event, const std::string& body) {
  CAPTURE(event);
  const auto parsed = parse_json_object(body);
  REQUIRE(parsed.ok());
  const auto payload = GithubPayload::parse(body);
  REQUIRE(payload.ok());
  const auto from_tree = normalize_github(event, *parsed);
  const auto from_body = normalize_github(event, *payload);
  REQUIRE(from_tree.ok() == from_body.ok());
  if (!from_tree.ok()) {
    CHECK(from_tree.error().message() == from_body.error().message());
    return;
  }
  CHECK(from_body->text == from_tree->text);
  CHECK(from_body->action == from_tree->action);
  CHECK(from_body->tenant == from_tree->tenant);
  CHECK(from_body->repo_full_name == from_tree->repo_full_name);
  CHECK(from_body->channel_id == from_tree->channel_id);
  CHECK(from_body->thread_id == from_tree->thread_id);
  CHECK(from_body->user.dump() == from_tree->user.dump());
  CHECK(from_body->metadata.dump() == from_tree->metadata.dump());
}

TEST_CASE("normalising from the body equals normalising from the parsed tree") {
  const std::vector<std::pair<std::string, std::string>> fixtures = {
      {"pull_request", "pull_request_opened.json"},
      {"push", "push.json"},
      {"issues", "issues_opened.json"},
      {"issue_comment", "issue_comment_created.json"},
      {"ping", "ping.json"},
  };
  for (const auto& [event, name] : fixtures) {
    const std::string body = testing::fixture(name);
    check_same_message(event, body);
    for (const char* other : {"pull_request", "push", "issues", "issue_comment", "workflow_run",
                              "check_run", "release"}) {
      check_same_message(other, body);
    }
  }
  check_same_message("push", R"({"repository":{"full_name":"a/b"},"sender":{"login":"x"},)"
                             R"("ref":7,"commits":{"not":"an array"},"action":null})");
  check_same_message("check_run", R"({"repository":{"full_name":"a/b","owner":{"login":""}},)"
                                  R"("sender":{"login":"x","id":-1},"check_run":{"name":"t",)"
                                  R"("conclusion":"","status":"queued"}})");
}

TEST_CASE("an invalid body is refused with parse_json_object's message") {
  CHECK(GithubPayload::parse("{").error().message() == "body is not valid JSON");
  CHECK(GithubPayload::parse("[]").error().message() == "body is not a JSON object");
}

}  // namespace
}  // namespace aof::ingest
