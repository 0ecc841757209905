#include "common/ingest/slack_envelope.h"

#include "common/ingest/envelope_parts.h"

namespace aof::ingest {

event::Envelope slack_envelope(const IngressRequest& request, SlackRequest message,
                               const Route& route, TimePoint now) {
  event::Envelope envelope = envelope_frame(
      request, "slack", route, now,
      {"x-slack-signature", "x-slack-request-timestamp", "x-slack-retry-num", "content-type",
       "user-agent"});
  envelope.event = std::move(message.event);
  envelope.tenant = std::move(message.team_id);
  envelope.channel_id = std::move(message.channel_id);
  envelope.thread_id = std::move(message.thread_id);
  envelope.user = std::move(message.user);
  envelope.metadata = std::move(message.metadata);
  envelope.delivery_id = std::move(message.delivery_id);
  envelope.dedup_key = dedup_key("slack", envelope.delivery_id, request.body);
  return envelope;
}

}  // namespace aof::ingest
