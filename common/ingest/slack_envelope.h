#pragma once
// The envelope for a routed Slack request (DESIGN §4): AOF's normalised message, the dedup
// key (DESIGN §5: Slack's event_id, or trigger_id for commands and interactions), the
// headers needed to re-verify, the raw body and trace context.

#include "common/base/clock.h"
#include "common/event/envelope.h"
#include "common/ingest/request.h"
#include "common/ingest/routing.h"
#include "common/ingest/slack.h"

namespace aof::ingest {

// "slack:<event_id|trigger_id>", or "slack:sha256:<hex SHA-256 of the body>" without one.
event::Envelope slack_envelope(const IngressRequest& request, SlackRequest message,
                               const Route& route, TimePoint now);

}  // namespace aof::ingest
