#pragma once
// The parts of a GitHub webhook payload that normalisation (github.h) and the ping answer read,
// and nothing else: taken from the raw body in one validating pass (extract_json_paths), so a
// delivery's text is never built into a tree on the ingest hot path. Also readable from a
// parsed tree, for callers that hold one; both give the same values.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.h"
#include "common/ingest/json_paths.h"

namespace aof::ingest {

// One per path read; the comment is the path from the payload's top level.
enum class GithubField {
  kAction,                 // action
  kZen,                    // zen (ping)
  kRepoId,                 // repository.id
  kRepoFullName,           // repository.full_name
  kRepoPrivate,            // repository.private
  kRepoOwnerLogin,         // repository.owner.login
  kSenderId,               // sender.id
  kSenderLogin,            // sender.login
  kPullRequest,            // pull_request
  kPrNumber,               // pull_request.number
  kPrTitle,                // pull_request.title
  kPrState,                // pull_request.state
  kPrDraft,                // pull_request.draft
  kPrBaseRef,              // pull_request.base.ref
  kPrHeadRef,              // pull_request.head.ref
  kPrHeadSha,              // pull_request.head.sha
  kPrAdditions,            // pull_request.additions
  kPrDeletions,            // pull_request.deletions
  kPrChangedFiles,         // pull_request.changed_files
  kPrHtmlUrl,              // pull_request.html_url
  kPrBody,                 // pull_request.body
  kIssue,                  // issue
  kIssueNumber,            // issue.number
  kIssueTitle,             // issue.title
  kIssueState,             // issue.state
  kIssueHtmlUrl,           // issue.html_url
  kIssueBody,              // issue.body
  kComment,                // comment
  kCommentId,              // comment.id
  kCommentBody,            // comment.body
  kCommentHtmlUrl,         // comment.html_url
  kRef,                    // ref
  kBefore,                 // before
  kAfter,                  // after
  kCommits,                // commits
  kHeadCommitMessage,      // head_commit.message
  kWorkflowRun,            // workflow_run
  kWorkflowRunName,        // workflow_run.name
  kWorkflowRunConclusion,  // workflow_run.conclusion
  kWorkflowRunStatus,      // workflow_run.status
  kWorkflowRunHeadBranch,  // workflow_run.head_branch
  kCheckRun,               // check_run
  kCheckRunName,           // check_run.name
  kCheckRunConclusion,     // check_run.conclusion
  kCheckRunStatus,         // check_run.status
  kCount
};

class GithubPayload {
 public:
  // Reads a raw body. Errors as parse_json_object's (kInvalidArgument): nesting over
  // kMaxJsonDepth, not valid JSON (invalid UTF-8 included), not a JSON object.
  static Result<GithubPayload> parse(std::string_view body);
  // Reads a parsed payload (any JSON value; a non-object holds nothing).
  static GithubPayload from_tree(const nlohmann::json& payload);

  const JsonScalar& operator[](GithubField field) const;
  bool is(GithubField field, JsonScalar::Kind kind) const { return (*this)[field].kind == kind; }
  // The string, or "" when absent or not a string.
  const std::string& text(GithubField field) const;
  // The integer with its JSON type (AOF keeps numbers as numbers), or 0 when absent or not an
  // integer.
  nlohmann::json integer(GithubField field) const;
  // True only for JSON true.
  bool boolean(GithubField field) const;

 private:
  explicit GithubPayload(std::vector<JsonScalar> values) : values_(std::move(values)) {}
  std::vector<JsonScalar> values_;  // indexed by GithubField
};

}  // namespace aof::ingest
