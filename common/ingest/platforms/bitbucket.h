#pragma once
// Bitbucket Cloud and Bitbucket Data Center (Server) webhooks (reference §3.7; Atlassian's
// "Event payloads" pages for both). The two send different bodies under the same scheme;
// a Data Center body is told apart by its `eventKey` field.
//   event key X-Event-Key, required: "repo:push", "pullrequest:created",
//             "pullrequest:comment_created" (Cloud); "pr:opened", "pr:comment:added",
//             "repo:refs_changed" (Data Center). Split at the first ':' into event and action
//             ("pullrequest" / "created", "pr" / "comment:added").
//   keys      the event key as sent (what AOF's example trigger binds: pullrequest:created),
//             "<event>.<action>", "<event>"
//   repository Cloud repository.full_name ("workspace/repo"); Data Center "<project key>/<slug>"
//             of `repository` or the pull request's toRef.repository. Tenant: the workspace
//             (Cloud) or project key (Data Center).
//   text      "pr:<action>:<destination>:<source> #<id> <title> - <first description line>";
//             a comment whose first line starts with '/' is that line (so "/review" binds),
//             else "comment:<action>:#<pr id> <first line>"; pushes
//             "push:pushed <n> commits to <branch> - <head commit's first line>" (Cloud) or
//             "push:pushed to <ref>" (Data Center); Cloud issues
//             "issue:<action>:#<id> <title> - <first line>"; else "<event>:<action>"
//   channel   "<repository>#<pr id>" for pull requests (thread "pr-<id>"), else the repository
//   user      Cloud actor {account_id (else uuid), nickname (else display_name)}; Data Center
//             actor {id, name}
//   delivery  X-Request-UUID (Cloud), else X-Request-Id (Data Center)
// Metadata uses GitHub's key names where the meaning is the same (AOF has no Bitbucket keys),
// so a bound command with a blank text gets AOF's synthesised text (pr_html_url, pr_title,
// comment_body): event_type, action, event_key, repo_full_name, pr_number, pr_title,
// pr_state, pr_base_ref, pr_head_ref, pr_html_url, comment_id, comment_body,
// comment_html_url, ref, after_sha, commit_count.
// Data Center's "diagnostics:ping" (the "Test connection" button) is answered 200 pong.

#include "common/base/result.h"
#include "common/ingest/platform_message.h"

namespace aof::ingest {

// kInvalidArgument (400): no or an invalid X-Event-Key (1-128 printable, no spaces), an
// invalid X-Request-UUID / X-Request-Id, a body that is not a JSON object, no repository,
// a pull request event without a numeric pull request id, a comment event without a comment.
Result<PlatformMessage> parse_bitbucket(const IngressRequest& request);

}  // namespace aof::ingest
