#include "common/ingest/slack_envelope.h"

#include "common/base/digest.h"
#include "common/base/ids.h"
#include "common/ingest/envelope_parts.h"
#include "common/ingest/trace_context.h"

namespace aof::ingest {

event::Envelope slack_envelope(const IngressRequest& request, SlackRequest message,
                               const Route& route, TimePoint now) {
  event::Envelope envelope;
  envelope.id = new_ulid(now);
  envelope.received_at = to_rfc3339(now);
  envelope.platform = "slack";
  envelope.event = std::move(message.event);
  envelope.tenant = std::move(message.team_id);
  envelope.channel_id = std::move(message.channel_id);
  envelope.thread_id = std::move(message.thread_id);
  envelope.user = std::move(message.user);
  envelope.metadata = std::move(message.metadata);
  envelope.delivery_id = std::move(message.delivery_id);
  envelope.dedup_key = envelope.delivery_id.empty() ? "slack:sha256:" + sha256_hex(request.body)
                                                    : "slack:" + envelope.delivery_id;
  envelope.trigger = route.trigger;
  envelope.target = route.target;
  envelope.text = bounded_text(route.text);
  envelope.headers = kept_headers(request, {"x-slack-signature", "x-slack-request-timestamp",
                                             "x-slack-retry-num", "content-type", "user-agent"});
  envelope.body = request.body;
  envelope.traceparent = continue_or_start_trace(header_value(request, "traceparent"));
  return envelope;
}

}  // namespace aof::ingest
