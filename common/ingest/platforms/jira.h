#pragma once
// Jira Cloud and Data Center webhooks (reference §3.6), AOF's texts and metadata.
//   event     from the body's webhookEvent (required): "jira:" dropped, then split at the last
//             '_': jira:issue_created → issue / created, comment_created → comment / created,
//             sprint_started → sprint / started
//   keys      webhookEvent as sent (jira:issue_created), without "jira:" (issue_created, what
//             AOF's example triggers bind), "<event>.<action>", "<event>" — duplicates dropped
//   text      "issue:created:<KEY> <summary> - <description>",
//             "issue:updated:<KEY> <field>: <from> -> <to>, ..." (the changelog),
//             "issue:deleted:<KEY>", "comment:created|updated:<KEY> <body>" — but a comment
//             whose first line starts with '/' is that line, so "/triage" binds —,
//             "comment:deleted:<KEY>", "sprint:started|closed:<name>", else "<name>:<KEY>"
//   channel   the project key; thread the issue key; tenant the project key (sprint events
//             carry no project: all three are "")
//   user      `user` (issue events) or comment.author (comment events): {accountId (Data
//             Center: key), name (Data Center) else displayName}; accountType "app" (a
//             Connect/Forge app: a bot) → ignored
//   delivery  X-Atlassian-Webhook-Identifier (the same on every retry), else none (the
//             envelope falls back to the body's hash)
// Metadata: AOF's event_type (webhookEvent as sent), issue_id, issue_key, issue_type,
// project_id, project_key, summary, status, priority, assignee, labels, changelog
// ([{field, from, to}], at most 50), plus action, comment_id, comment_body, sprint_id,
// sprint_name, timestamp. AOF dropped events older than 60 s by `timestamp`; here a retry is
// a duplicate by its identifier instead, so nothing is dropped for its age.

#include <optional>
#include <string>

#include "common/base/result.h"
#include "common/ingest/platform_message.h"

namespace aof::ingest {

struct PlatformSettings;

// kInvalidArgument (400): a body that is not a JSON object, no webhookEvent (or not 1-128
// printable characters), an issue or comment event without issue.key, a comment event
// without comment.body, an invalid X-Atlassian-Webhook-Identifier, an issue or project key
// that is not a short token.
Result<PlatformMessage> parse_jira(const IngressRequest& request);

// platforms.jira's allow-lists (AOF's DaemonConfig keys): allowed_projects (project key, or
// "*") and allowed_events (webhookEvent as sent or without "jira:", or "*"). The reason
// the message is ignored, or nullopt when both admit it (an unset list admits everything).
// With allowed_projects set, an event without a project (sprints) is refused.
std::optional<std::string> jira_denied(const PlatformSettings& platform,
                                       const PlatformMessage& message);

}  // namespace aof::ingest
