#pragma once
// What every platform's envelope builder shares: the bounded message text, the request
// headers kept for re-verification and replay, and one header's value.

#include <map>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/event/envelope.h"
#include "common/ingest/request.h"
#include "common/ingest/routing.h"

namespace aof::ingest {

// Messages and comments may be long (GitHub: 256 KiB of UTF-8): the text is cut at a
// character boundary at 16 KiB so the envelope stays within EnvelopeLimits::max_field_bytes.
// The full body travels in the envelope anyway.
std::string bounded_text(const std::string& text);

// Of `names` (lower-case), the request headers present with a printable-ASCII value.
std::map<std::string, std::string> kept_headers(const IngressRequest& request,
                                                const std::vector<const char*>& names);

// What every platform's envelope carries the same way: a new id, the receive time,
// `platform`, the route (trigger, target, bounded text), the `kept` headers, the raw body and
// the trace context (continued from a traceparent header). The platform's builder adds its
// normalised message and dedup key.
event::Envelope envelope_frame(const IngressRequest& request, const char* platform,
                               const Route& route, TimePoint now,
                               const std::vector<const char*>& kept);

// Moves AOF's normalised message into the envelope: event, action, tenant, channel_id,
// thread_id, user, metadata (GithubMessage and PlatformMessage have them all).
template <typename Message>
void move_message_fields(event::Envelope& envelope, Message&& message) {
  envelope.event = std::move(message.event);
  envelope.action = std::move(message.action);
  envelope.tenant = std::move(message.tenant);
  envelope.channel_id = std::move(message.channel_id);
  envelope.thread_id = std::move(message.thread_id);
  envelope.user = std::move(message.user);
  envelope.metadata = std::move(message.metadata);
}

// DESIGN §5's dedup key: "<platform>:<delivery id>", or "<platform>:sha256:<hex SHA-256 of
// the body>" when the provider sent no delivery id.
std::string dedup_key(std::string_view platform, std::string_view delivery_id,
                      std::string_view body);

// The value of header `name` (lower-case), "" when absent.
std::string header_value(const IngressRequest& request, const char* name);

}  // namespace aof::ingest
