#pragma once
// AOF's normalised message (reference §2.4) for one request of any platform, plus what
// routing, the trigger filters and the envelope need. Every platform's parser
// (common/ingest/platforms/<name>.h) produces one; platforms.h says how each is verified,
// routed and answered.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "common/ingest/request.h"

namespace aof::ingest {

struct PlatformMessage {
  enum class Kind {
    kHandshake,  // the provider checking the endpoint: send `handshake`, publish nothing
    kMessage,    // something to route
    kIgnored,    // valid, but nothing to run (bot-authored, a status update, an edit)
  };
  Kind kind = Kind::kMessage;
  IngressResponse handshake;   // kHandshake: the answer (Discord PING → {"type":1}, ...)
  std::string ignored_reason;  // kIgnored: said in the 200 `ignored` answer

  // kMessage.
  std::string event;   // the provider's event type: merge_request, incident, message, ...
  std::string action;  // its action ("open", "triggered"; "" when the provider has none)
  // Command-binding keys to look up, most specific first ("incident.triggered", "incident";
  // Bitbucket also "pullrequest:created"), before the "/command" text and `default`.
  std::vector<std::string> binding_keys;
  std::string command;      // an explicit command without '/' (Slack slash, Discord
                            // application command); its argument is `text`
  std::string delivery_id;  // the provider's id of this delivery: the dedup key ("" = none)
  std::string tenant;       // org, group, workspace, guild, project, service
  std::string repository;   // git platforms: "group/project" (trigger `repositories` filter)
  std::string text;         // AOF's message text
  std::string channel_id;
  std::string thread_id;
  nlohmann::json user = nlohmann::json::object();      // {"id", "username"}
  nlohmann::json metadata = nlohmann::json::object();  // AOF's keys, per platform
};

inline PlatformMessage ignored_message(std::string reason) {
  PlatformMessage out;
  out.kind = PlatformMessage::Kind::kIgnored;
  out.ignored_reason = std::move(reason);
  return out;
}

}  // namespace aof::ingest
