#pragma once
// A Slack request as the ingress needs it (reference §3.2, Slack's Events API, slash commands
// and interactivity): JSON event callbacks and url_verification, form-encoded slash
// commands (any size: they arrive through the content reader), and interactive `payload=`
// posts. Pure functions: thread-safe, no I/O, never throw.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "common/base/result.h"

namespace aof::ingest {

struct SlackRequest {
  enum class Kind {
    kUrlVerification,  // Slack checking the endpoint: answer the challenge
    kMessage,          // something to route: an event, a slash command, an interaction
    kIgnored,          // valid, but nothing to run (bot-authored, an edit, an unsupported event)
  };
  Kind kind = Kind::kIgnored;
  std::string challenge;      // kUrlVerification
  std::string ignored_reason; // kIgnored

  // kMessage: AOF's normalised message.
  std::string event;       // app_mention | message | reaction_added | slash_command | block_actions
  std::string command;     // slash commands: the command without '/' ("deploy")
  std::string delivery_id; // event_id (events) or trigger_id (commands, interactions): dedup
  std::string team_id;     // the tenant
  std::string text;        // message text; slash: the command's argument; reactions
                           // "reaction:<name>"; interactions "<action_id>:<value>"
  std::string channel_id;
  std::string thread_id;   // thread_ts, else ts
  nlohmann::json user = nlohmann::json::object();      // {"id", "username"}
  nlohmann::json metadata = nlohmann::json::object();  // AOF's keys (reference §3.2)
};

// Parses a body Slack sent with `content_type`. kInvalidArgument (400) for a body that is
// neither valid JSON nor a form Slack sends, or that lacks the fields its kind needs.
Result<SlackRequest> parse_slack(std::string_view content_type, std::string_view body);

// application/x-www-form-urlencoded `name` of `body`, decoded ('+' and %XX); nullopt when
// absent. Malformed escapes are kInvalidArgument.
Result<std::optional<std::string>> form_value(std::string_view body, std::string_view name);

}  // namespace aof::ingest
