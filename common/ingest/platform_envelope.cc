#include "common/ingest/platform_envelope.h"

#include "common/ingest/envelope_parts.h"

namespace aof::ingest {

event::Envelope platform_envelope(const PlatformAdapter& adapter, const IngressRequest& request,
                                  PlatformMessage message, const Route& route, TimePoint now) {
  const std::string platform(adapter.name);
  event::Envelope envelope =
      envelope_frame(request, platform.c_str(), route, now, adapter.kept_headers);
  envelope.delivery_id = message.delivery_id;
  move_message_fields(envelope, std::move(message));
  envelope.dedup_key = dedup_key(platform, envelope.delivery_id, request.body);
  return envelope;
}

}  // namespace aof::ingest
