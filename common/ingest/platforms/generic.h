#pragma once
// A generic signed-webhook source at /webhook/generic (issue 6 item 2): any sender that can
// sign its body with verify/generic.h's scheme. Nothing is assumed about the body:
//   body      any bytes (the envelope carries them as received, base64 when not UTF-8); a
//             JSON object is not interpreted beyond one field, below. Verification has
//             already authenticated the sender, so there is nothing to refuse as malformed.
//   event     the value of the header platforms.generic.event_header names (a sender's own
//             "X-Event-Type"), else "webhook" (no header configured, or not sent)
//   keys      [event]: a trigger binds the event name ("deploy_finished"), a leading "/word"
//             of the text, or `default`
//   text      the body's string field "text" when the body is a JSON object with one (so
//             {"text": "/deploy prod"} binds /deploy), else ""
//   delivery  the value of the header platforms.generic.delivery_header names, else none (the
//             envelope falls back to the body's hash, which dedups byte-identical retries)
// No user, channel or tenant: a generic sender has no such notion. Metadata: event_type.

#include "common/base/result.h"
#include "common/ingest/platform_message.h"

namespace aof::ingest {

struct PlatformSettings;

// kInvalidArgument (400) only for the configured headers: an event header value that is not
// 1-128 printable characters without spaces, or such a delivery header value.
Result<PlatformMessage> parse_generic(const PlatformSettings& platform,
                                      const IngressRequest& request);

}  // namespace aof::ingest
