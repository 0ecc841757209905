#pragma once
// GitHub webhooks: the normalisation of a payload into AOF's normalised message
// (reference/aof-formats.md §3.1), field for field and type for type, so flows written for
// AOF read `${event.metadata.pr_number}` etc. unchanged. The signature: verify/hub_signature.h.
// Pure functions: thread-safe, no I/O, never throw.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "common/base/result.h"
#include "common/ingest/github_payload.h"

namespace aof::ingest {

// AOF's normalised message for one GitHub delivery, plus what routing and the envelope need.
struct GithubMessage {
  std::string event;           // X-GitHub-Event ("pull_request")
  std::string action;          // payload `action` ("" when absent, e.g. push)
  std::string repo_full_name;  // "owner/repo"
  std::string tenant;          // repository owner login (the org)
  std::string text;            // "pr:opened:main:feature #42 Title - first body line"
  std::string channel_id;      // "owner/repo#42" or "owner/repo"
  std::string thread_id;       // "pr-42" / "issue-7" / ""
  nlohmann::json user = nlohmann::json::object();      // {"id": "<sender id>", "username"}
  nlohmann::json metadata = nlohmann::json::object();  // AOF's keys (reference §3.1)
};

// Whether an X-GitHub-Event value is a plausible event name: 1-64 chars of [A-Za-z0-9_.-].
// (It ends up in envelopes, metadata and logs, so arbitrary bytes are refused.)
bool is_valid_github_event_name(std::string_view event);

// Normalises the payload of event `event` (GithubPayload::parse reads it from the raw body).
// Errors (kInvalidArgument, the caller answers 400): no `repository` object with a string
// `full_name`, no `sender` object with a string `login`, or the event's own object missing
// (pull_request without `pull_request`, issues without `issue`, issue_comment without
// `comment`, workflow_run, check_run). `ping` has no repository in org hooks: answer it before
// calling this.
Result<GithubMessage> normalize_github(std::string_view event, const GithubPayload& payload);
// The same from a parsed tree.
Result<GithubMessage> normalize_github(std::string_view event, const nlohmann::json& payload);

}  // namespace aof::ingest
