#pragma once
// Opening the broker at start-up, the same way for every role and binary: connect, then log
// each of the broker's durability warnings (queue.h durability_warnings()) at warn level, so
// an operator sees "accepted events are lost on a restart" before the first event arrives.

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/config/daemon_config.h"
#include "common/queue/broker.h"

namespace aof::sidecar {

// A role running alone (gateway or worker) must share its broker with other processes; the
// embedded memory queue cannot. kInvalidArgument (exit 2) saying what to run instead.
Status require_shared_broker(const config::QueueConfig& config, const char* role);

// open_broker() plus the warnings. Errors are open_broker()'s (kUnavailable: exit 3).
Result<queue::Broker> open_broker_logged(const config::QueueConfig& config, Clock& clock);

}  // namespace aof::sidecar
