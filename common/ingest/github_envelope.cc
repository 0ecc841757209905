#include "common/ingest/github_envelope.h"

#include "common/ingest/envelope_parts.h"

namespace aof::ingest {

event::Envelope github_envelope(const IngressRequest& request, GithubMessage message,
                                const Route& route, TimePoint now) {
  event::Envelope envelope = envelope_frame(
      request, "github", route, now,
      {"x-github-event", "x-github-delivery", "x-hub-signature-256", "content-type",
       "user-agent", "x-github-hook-id"});
  move_message_fields(envelope, std::move(message));
  envelope.delivery_id = header_value(request, "x-github-delivery");
  envelope.dedup_key = dedup_key("github", envelope.delivery_id, request.body);
  return envelope;
}

}  // namespace aof::ingest
