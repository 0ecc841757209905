#pragma once
// Which trigger binding handles a GitHub delivery: AOF's command lookup (reference §2.4
// steps 5-7) made per trigger, with repository filters, and — unlike AOF — no fallback
// agent: an unbound delivery is answered `ignored` and not queued (DESIGN §4).
// Pure functions: thread-safe, no I/O, never throw.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/resources.h"
#include "common/event/envelope.h"
#include "common/ingest/github.h"
#include "common/ingest/platform_message.h"

namespace aof::ingest {

// Whether `full_name` ("owner/repo") matches a pattern: exact "owner/repo", "owner/*" or "*".
// An empty pattern list allows every repository.
bool repo_allowed(const std::vector<std::string>& patterns, std::string_view full_name);

struct Route {
  std::string trigger;  // Trigger metadata.name
  std::string binding;  // the commands key that matched: "pull_request.opened", "push",
                        // "summarize" (from "/summarize"), or "default"
  event::Target target;
  std::string text;    // the command text; synthesised from metadata when blank (§2.5)
  std::string report;  // the binding's `report` when it is not the default: "review"
};

struct RouteResult {
  std::optional<Route> route;  // set when a binding with a runnable target was found
  std::string ignored_reason;  // otherwise why not, for the 200 `ignored` answer
};

// Routes `message` among `candidates` (GitHub triggers the request's signature admits, in
// trigger-name order). Lookup order, the first key found in any candidate wins:
//   1. "<event>.<action>"   e.g. pull_request.opened
//   2. "<event>"            e.g. push, or pull_request for any action
//   3. the first token of a text starting with '/', without the '/' (issue comments)
//   4. "default", when that binding names an agent (it runs with the message text)
// A trigger whose `repositories` does not match the repository is skipped. Within one key,
// several triggers may bind it: the first in trigger-name order wins, so the choice does
// not depend on file or hash order (AOF's "last file loaded wins" is arbitrary).
// Target priority: flow, then fleet, then agent; `agent: builtin` is ignored.
RouteResult route_github(const std::vector<const config::Trigger*>& candidates,
                         const GithubMessage& message);

// Routes a chat message (Slack; the other chat platforms as they are wired) among
// `candidates` (triggers of the platform whose secret verified it, name order), in AOF's
// order (reference §2.4 step 5): the slash command `command` (Slack's form posts, without
// '/'; "" = none) with `text` as its argument, else a leading "/word" of `text`, then a
// `default` binding's agent, then `default_agent` (runtime.default_agent, DESIGN §4: chat
// messages no command binds), with trigger "runtime.default_agent". Without any of them
// the message is ignored, with the reason.
RouteResult route_chat(const std::vector<const config::Trigger*>& candidates,
                       const std::string& command, const std::string& text,
                       const nlohmann::json& metadata, const std::string& default_agent);

// Routes an event of a git or incident platform (GitLab, Bitbucket, Jira, PagerDuty,
// Opsgenie, generic) among `candidates`, as route_github does: the message's binding_keys in
// order, then a leading "/word" of its text (comments), then a `default` binding's agent.
// Unbound → ignored (DESIGN §4), with the reason.
RouteResult route_event(const std::vector<const config::Trigger*>& candidates,
                        const PlatformMessage& message);

// Routes by one binding key only, with no `default` binding and no default agent: Slack
// reactions (AOF sends them to its approval handler, never to an agent) run only what binds
// `key` ("reaction_added"). Unbound → ignored with `unbound_reason`.
// A Slack reaction: what binds reaction_added, else — for a reaction that decides an approval
// (event/approval_reactions.h) — a decision event (target kind Approval) for the worker to
// match against the paused flows, on the first candidate trigger. Anything else is ignored.
RouteResult route_reaction(const std::vector<const config::Trigger*>& candidates,
                           const std::string& text, const nlohmann::json& metadata);

RouteResult route_key_only(const std::vector<const config::Trigger*>& candidates,
                           const std::string& key, const std::string& text,
                           const nlohmann::json& metadata, const std::string& unbound_reason);

// AOF's text for a bound command whose own text is blank (reference §2.5 step 6): lines
// "Review the PR at: <pr_html_url>" (or "Review the PR/issue at: <issue_html_url>"),
// "Title: <pr_title|issue_title>", "Additional context: <comment_body>" (unless it starts
// with '/'), joined by '\n'; "Execute <command> command" when none of them exist.
std::string synthesize_command_text(const nlohmann::json& metadata, const std::string& command);

}  // namespace aof::ingest
