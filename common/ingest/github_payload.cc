#include "common/ingest/github_payload.h"

namespace aof::ingest {
namespace {

// In GithubField's order.
const JsonPaths& github_paths() {
  static const JsonPaths paths({
      "action",
      "zen",
      "repository.id",
      "repository.full_name",
      "repository.private",
      "repository.owner.login",
      "sender.id",
      "sender.login",
      "pull_request",
      "pull_request.number",
      "pull_request.title",
      "pull_request.state",
      "pull_request.draft",
      "pull_request.base.ref",
      "pull_request.head.ref",
      "pull_request.head.sha",
      "pull_request.additions",
      "pull_request.deletions",
      "pull_request.changed_files",
      "pull_request.html_url",
      "pull_request.body",
      "issue",
      "issue.number",
      "issue.title",
      "issue.state",
      "issue.html_url",
      "issue.body",
      "comment",
      "comment.id",
      "comment.body",
      "comment.html_url",
      "ref",
      "before",
      "after",
      "commits",
      "head_commit.message",
      "workflow_run",
      "workflow_run.name",
      "workflow_run.conclusion",
      "workflow_run.status",
      "workflow_run.head_branch",
      "check_run",
      "check_run.name",
      "check_run.conclusion",
      "check_run.status",
  });
  return paths;
}

}  // namespace

Result<GithubPayload> GithubPayload::parse(std::string_view body) {
  auto values = extract_json_paths(body, github_paths());
  if (!values.ok()) return values.error();
  return GithubPayload(std::move(*values));
}

GithubPayload GithubPayload::from_tree(const nlohmann::json& payload) {
  return GithubPayload(extract_json_tree_paths(payload, github_paths()));
}

const JsonScalar& GithubPayload::operator[](GithubField field) const {
  static_assert(static_cast<std::size_t>(GithubField::kCount) == 45);
  return values_[static_cast<std::size_t>(field)];
}

const std::string& GithubPayload::text(GithubField field) const {
  static const std::string kEmpty;
  const JsonScalar& value = (*this)[field];
  return value.kind == JsonScalar::Kind::kString ? value.text : kEmpty;
}

nlohmann::json GithubPayload::integer(GithubField field) const {
  const JsonScalar& value = (*this)[field];
  if (value.kind != JsonScalar::Kind::kNumber) return 0;
  switch (value.number) {
    case JsonScalar::Number::kUnsigned:
      return value.bits;
    case JsonScalar::Number::kInteger:
      return static_cast<std::int64_t>(value.bits);
    case JsonScalar::Number::kFloat:
      break;
  }
  return 0;
}

bool GithubPayload::boolean(GithubField field) const {
  const JsonScalar& value = (*this)[field];
  return value.kind == JsonScalar::Kind::kBool && value.boolean;
}

}  // namespace aof::ingest
