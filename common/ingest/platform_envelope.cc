#include "common/ingest/platform_envelope.h"

#include "common/base/digest.h"
#include "common/ingest/envelope_parts.h"

namespace aof::ingest {

event::Envelope platform_envelope(const PlatformAdapter& adapter, const IngressRequest& request,
                                  PlatformMessage message, const Route& route, TimePoint now) {
  const std::string platform(adapter.name);
  event::Envelope envelope =
      envelope_frame(request, platform.c_str(), route, now, adapter.kept_headers);
  envelope.event = std::move(message.event);
  envelope.action = std::move(message.action);
  envelope.tenant = std::move(message.tenant);
  envelope.channel_id = std::move(message.channel_id);
  envelope.thread_id = std::move(message.thread_id);
  envelope.user = std::move(message.user);
  envelope.metadata = std::move(message.metadata);
  envelope.delivery_id = std::move(message.delivery_id);
  envelope.dedup_key = envelope.delivery_id.empty()
                           ? platform + ":sha256:" + sha256_hex(request.body)
                           : platform + ":" + envelope.delivery_id;
  return envelope;
}

}  // namespace aof::ingest
