#pragma once
// The trigger filters AOF parses but never applies (reference §1.4), applied: a trigger
// admits a message only when every filter it sets matches. Compiled once when the settings
// are built (patterns are regexes), then read by every request thread.
//
//   events        the event ("message", "app_mention", "merge_request") or its key
//                 ("incident.triggered", "jira:issue_created")
//   github_events the event, for GitHub triggers (AOF's name)
//   channels      channel_id (Slack channel, Telegram chat, Discord channel)
//   chat_ids      Telegram: channel_id as a number
//   guild_ids     Discord: metadata.guild_id
//   users         user.id or user.username
//   patterns      ECMAScript regexes; any one found in the text's first 4 KiB
//   service_ids   PagerDuty: metadata.service_id
//   repositories  owner/repo, owner/*, * against the repository (git platforms)
// Unset or empty = no restriction. Thread-safe after construction.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <regex>
#include <string>
#include <vector>

#include "common/base/result.h"
#include "common/config/resources.h"

namespace aof::ingest {

// What the filters look at, taken from any platform's message.
struct FilterSubject {
  std::string event;                   // "merge_request"
  std::vector<std::string> event_keys; // "merge_request.open", ... (binding keys)
  std::string channel_id;
  std::string user_id;
  std::string user_name;
  std::string text;
  std::string repository;  // "group/project"
  std::string guild_id;
  std::string service_id;
  bool command = false;  // a slash command or an interaction: bound by its name, so the
                         // events filter does not apply
};

class TriggerFilters {
 public:
  TriggerFilters() = default;
  // kInvalidArgument naming the trigger and the pattern when a regex does not compile.
  static Result<TriggerFilters> compile(const config::Trigger& trigger);

  // "" when every filter admits `subject`, else which one refused it (for debug logs and
  // `aof trigger test`): "channels does not list C123".
  std::string refusal(const FilterSubject& subject) const;

 private:
  std::vector<std::string> events_;
  std::vector<std::string> channels_;
  std::vector<std::string> users_;
  std::vector<std::string> guild_ids_;
  std::vector<std::string> service_ids_;
  std::vector<std::string> repositories_;
  std::vector<std::regex> patterns_;
  std::vector<std::string> pattern_sources_;
};

}  // namespace aof::ingest
