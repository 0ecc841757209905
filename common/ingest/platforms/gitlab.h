#pragma once
// GitLab project and group webhooks (reference §3.7, GitLab's "Webhook events" page), read
// the way real GitLab sends them rather than the way AOF's unwired adapter expected:
//   event     object_kind (push, tag_push, merge_request, issue, work_item, note, pipeline,
//             build — GitLab's job events —, deployment, release, wiki_page, ...)
//   action    object_attributes.action (merge_request: open, update, close, merge, reopen,
//             approved, ...; issue alike; note: create, update), except: pipeline → its
//             object_attributes.status and build → build_status (so `pipeline.failed` binds),
//             deployment → status, release → the top-level action; push has none
//   keys      "<event>.<action>", "<event>" (just "<event>" without an action)
//   text      AOF's: "push:pushed <n> commits to <ref> - <head commit's first line>",
//             "mr:<action>:<target>:<source> !<iid> <title> - <first description line>",
//             "issue:<action>:#<iid> <title> - <first description line>",
//             "note:<action>:<noteable_type>:<noteable_id> <first line>" — but a note whose
//             first line starts with '/' is that line, so "/review" binds —,
//             "pipeline:<status>:<id> on <ref>", "job:<status>:<name> in stage <stage>",
//             else "<event>:<action>"
//   channel   "group/project!<iid>" for merge requests (and notes and pipelines of one),
//             "group/project#<iid>" for issues (and notes on one), else the project path;
//             thread "mr-<iid>" / "issue-<iid>"
//   repository project.path_with_namespace; tenant its first part (the top-level group)
//   user      {id, username} of `user` (push: user_id, user_username)
//   delivery  Idempotency-Key (GitLab 17.4+: the same on every retry of one delivery), else
//             X-Gitlab-Event-UUID
// Metadata carries AOF's keys (event_type, action, project_id, project_path, user_id,
// user_username, mr_*, issue_*, ref, before_sha, after_sha, commit_count) plus gitlab_event
// (the X-Gitlab-Event header), note_*, pipeline_*, job_*.
// X-Gitlab-Event is required (bounded, printable); the body must be a JSON object. A body
// without object_kind (group member, project and subgroup events) is ignored.

#include "common/base/result.h"
#include "common/ingest/platform_message.h"

namespace aof::ingest {

// kInvalidArgument (400): no or an invalid X-Gitlab-Event, Idempotency-Key or
// X-Gitlab-Event-UUID header, a body that is not a JSON object, an object_kind or action
// that is not a short token, a project path over kMaxPathBytes, or an event without what
// its text needs (merge_request/issue without object_attributes.iid, note without
// object_attributes.note, pipeline without object_attributes.status).
Result<PlatformMessage> parse_gitlab(const IngressRequest& request);

}  // namespace aof::ingest
