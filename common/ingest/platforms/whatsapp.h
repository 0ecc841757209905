#pragma once
// WhatsApp Cloud API webhooks (reference §3.4; Meta's "Webhooks" guide):
//   GET  ?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C → 200 C as text/plain when
//        T equals a configured verify_token (constant time), else 403. AOF had no route.
//   POST whatsapp_business_account notifications, verified by X-Hub-Signature-256 with the
//        app secret (verify/hub_signature.h): the first message of the first `messages`
//        change is routed (text → its body; interactive replies → "button:<id>" /
//        "list:<id>"; quick-reply buttons → "button:<payload>"), channel = the sender's
//        number, dedup key = the message id (wamid). Status updates and media messages are
//        ignored with 200: Meta retries anything else for days.

#include "common/base/result.h"
#include "common/ingest/platform_message.h"

namespace aof::ingest {

struct PlatformSettings;

Result<PlatformMessage> parse_whatsapp(const IngressRequest& request);

// The GET subscription handshake.
IngressResponse whatsapp_handshake(const PlatformSettings& platform, const IngressRequest& request);

}  // namespace aof::ingest
