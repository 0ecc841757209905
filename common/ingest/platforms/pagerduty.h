#pragma once
// PagerDuty v3 webhooks (reference §3.7, PagerDuty's "V3 Webhooks" overview): one `event`
// per delivery, {id, event_type, resource_type, occurred_at, agent, data}.
//   event     event_type split at the first '.': incident.triggered → incident / triggered
//   keys      "<event>.<action>" (incident.triggered, as AOF's examples bind), "<event>"
//   text      the incident's title; for incident.annotated the note's content (so a note
//             "/diagnose api" binds /diagnose)
//   channel   the incident id (replies are incident notes); tenant the service id
//   user      the agent {id, summary}
//   delivery  event.id (PagerDuty resends a failed delivery with the same event)
// Metadata: event_type, action, resource_type, occurred_at, incident_id, incident_number,
// incident_key, title, status, urgency, priority (its summary, "P1"), html_url, service_id
// (what a trigger's service_ids filter reads), service_name, agent_id.
// The incident is the one event.data refers to (event.data.incident: an annotation), else
// event.data itself; a reference carries only id and summary (the title then), and events
// of other resources (services) only what they have. "pagey.ping" (sent when a subscription is
// created or tested) is answered 200 pong.

#include "common/base/result.h"
#include "common/ingest/platform_message.h"

namespace aof::ingest {

// kInvalidArgument (400): a body that is not a JSON object, no `event` object, an event.id
// or event_type that is not 1-128 printable characters, or an event_type without '.'.
Result<PlatformMessage> parse_pagerduty(const IngressRequest& request);

}  // namespace aof::ingest
