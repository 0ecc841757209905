#pragma once
// Discord interactions (reference §3.5; Discord's "Receiving and Responding"): the request
// is verified first (Ed25519, verify/discord.h), then
//   type 1 PING                 → handshake {"type":1} (Discord's endpoint check)
//   type 2 APPLICATION_COMMAND  → routed as the command data.name, text "opt=value ..."
//   type 3 MESSAGE_COMPONENT    → text "component:<custom_id>"
//   type 5 MODAL_SUBMIT         → text "modal:<custom_id>"
//   type 4 AUTOCOMPLETE         → handshake with no choices (nothing to suggest)
// The interaction id is the dedup key; the guild is the tenant. Discord wants an interaction
// response within 3 s: accepted commands get a deferred response (discord_accepted), and
// anything not run gets an ephemeral message saying why (discord_ignored) rather than a
// bare 200 Discord would show as "This interaction failed".

#include <string_view>

#include "common/base/result.h"
#include "common/event/envelope.h"
#include "common/ingest/platform_message.h"

namespace aof::ingest {

// kInvalidArgument for a body that is not a JSON object with a numeric `type` and, beyond
// PING, an `id` and a user.
Result<PlatformMessage> parse_discord(const IngressRequest& request);

// {"type":5} (DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE) for commands and modals; {"type":6}
// (DEFERRED_UPDATE_MESSAGE) for components.
IngressResponse discord_accepted(const event::Envelope& envelope);

// {"type":4,"data":{"content":"Not run: <reason>","flags":64}}: an ephemeral reply.
IngressResponse discord_ignored(std::string_view reason);

}  // namespace aof::ingest
