#pragma once
// Telegram Bot API updates (reference §3.3): `message` and `callback_query` are routed, AOF's
// way — the text (a leading "/command" binds), callbacks as "callback:<data>", channel =
// chat id; the dedup key is the update_id. Messages from bots (is_bot) are ignored, so an
// agent never triggers itself; other update kinds (edits, inline queries, channel posts) are
// ignored rather than refused, so Telegram stops retrying them.

#include "common/base/result.h"
#include "common/ingest/platform_message.h"

namespace aof::ingest {

// kInvalidArgument for a body that is not a JSON object with a numeric update_id, or a
// message without chat or from.
Result<PlatformMessage> parse_telegram(const IngressRequest& request);

}  // namespace aof::ingest
