#include "common/ingest/github_envelope.h"

#include "common/ingest/envelope_parts.h"
#include "common/base/digest.h"

namespace aof::ingest {

std::string github_dedup_key(std::string_view delivery_id, std::string_view body) {
  if (!delivery_id.empty()) return "github:" + std::string(delivery_id);
  return "github:sha256:" + sha256_hex(body);
}

event::Envelope github_envelope(const IngressRequest& request, GithubMessage message,
                                const Route& route, TimePoint now) {
  event::Envelope envelope = envelope_frame(
      request, "github", route, now,
      {"x-github-event", "x-github-delivery", "x-hub-signature-256", "content-type",
       "user-agent", "x-github-hook-id"});
  move_message_fields(envelope, std::move(message));
  envelope.delivery_id = header_value(request, "x-github-delivery");
  envelope.dedup_key = github_dedup_key(envelope.delivery_id, request.body);
  return envelope;
}

}  // namespace aof::ingest
