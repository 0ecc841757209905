#pragma once
// Opsgenie's outgoing webhook integration (reference §3.7; Opsgenie's "Webhook Integration"
// page): {action, alert: {alertId, tinyId, message, description, priority, tags, source,
// entity, alias, note, username, userId, updatedAt, ...}, source, integrationId,
// integrationName}.
//   event     "alert"; action the action lower-cased (Create → create, AddNote → addnote)
//   keys      the action as sent (Create, AddNote: Opsgenie's own spelling, as the example
//             trigger lists them), "alert.<action>", "alert"
//   text      AOF's: "alert:created:<tinyId> <message> - <description's first line>";
//             acknowledged / closed / escalated likewise without the description; an AddNote
//             whose note's first line starts with '/' is that line (so "/diagnose api"
//             binds), else "alert:note:<tinyId> <note's first line>"; other actions
//             "alert:<action>:<tinyId> <message>"
//   channel   the alertId (replies are alert notes); tenant the integrationId
//   user      {alert.userId, alert.username}
//   delivery  "<alertId>:<Action>:<alert.updatedAt>". Opsgenie sends no delivery id, and a
//             retry repeats the payload: its alert, action and updatedAt (nanoseconds; every
//             change to an alert moves it) are the same, so a retry is a duplicate, while two
//             actions on one alert (Create then AddNote, or two notes) differ in action or
//             updatedAt and are both kept. Without an integer updatedAt the body's SHA-256
//             stands in for it, which still dedups byte-identical retries.
// Metadata: action (as sent), alert_id, tiny_id, alias, message, description, priority,
// tags, source, entity, note, username, integration_id, integration_name.

#include "common/base/result.h"
#include "common/ingest/platform_message.h"

namespace aof::ingest {

// kInvalidArgument (400): a body that is not a JSON object, no `action` (1-64 printable
// characters), no `alert` object, or an alert.alertId that is not 1-128 printable characters.
Result<PlatformMessage> parse_opsgenie(const IngressRequest& request);

}  // namespace aof::ingest
