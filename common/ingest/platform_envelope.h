#pragma once
// The envelope for a routed message of an adapter platform (platforms.h; DESIGN §4): AOF's
// normalised message, the dedup key (DESIGN §5: "<platform>:<delivery id>", or
// "<platform>:sha256:<hex SHA-256 of the body>" when the provider sends none), the adapter's
// kept headers, the raw body and trace context.

#include "common/base/clock.h"
#include "common/event/envelope.h"
#include "common/ingest/platform_message.h"
#include "common/ingest/platforms.h"
#include "common/ingest/request.h"
#include "common/ingest/routing.h"

namespace aof::ingest {

event::Envelope platform_envelope(const PlatformAdapter& adapter, const IngressRequest& request,
                                  PlatformMessage message, const Route& route, TimePoint now);

}  // namespace aof::ingest
