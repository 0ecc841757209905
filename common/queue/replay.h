#pragma once
// What an operator replay publishes (queue.h replay()), built the same way by every backend:
// the dead letter's envelope as generation + 1 with attempt 0, its history kept, the edits of
// the request applied and one envelope.replays entry saying from which generation, who, when
// and what changed (old values included, so the original stays readable).

#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/event/envelope.h"
#include "common/queue/queue.h"

namespace aof::queue {

// The names ReplayRequest::set accepts: event, action, tenant, trigger, text, channel_id,
// thread_id, priority (an integer), target.kind (Agent | AgentFleet | AgentFlow),
// target.name, plus any "metadata.<key>" (the value is read as JSON when it parses as a
// number, boolean or null, else kept as a string) and "headers.<Name>".
const std::vector<std::string>& replay_settable_fields();

// The envelope to publish for `request` from dead letter `dead`, stamped `now`.
// kInvalidArgument names an unknown field or a bad value ("--set priority: \"high\" is not an
// integer"), or the edited envelope's broken limit (validate_envelope).
Result<event::Envelope> replayed_envelope(const event::Envelope& dead,
                                          const ReplayRequest& request, TimePoint now);

}  // namespace aof::queue
