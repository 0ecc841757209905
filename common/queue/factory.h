#pragma once
// Picks the queue and state backends from QueueConfig (one plain switch in factory.cc).

#include <memory>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/config/daemon_config.h"
#include "common/queue/broker.h"
#include "common/queue/retry_policy.h"

namespace aof::queue {

// Connects to (or, for memory, creates) the configured broker: memory or redis (nats arrives
// with issue 4). `clock` must outlive it; the memory backend measures all time on it, Redis
// uses the server's clock for leases and retry due times. `jitter` draws retry delays.
// Errors: kUnavailable when the broker cannot be reached (the message says what to check);
// kUnauthenticated when it refused our credentials; kInvalidArgument for a bad URL or a
// backend this build does not have yet (the message says which issue adds it).
Result<Broker> open_broker(const config::QueueConfig& config, Clock& clock,
                           Jitter jitter = default_jitter());

}  // namespace aof::queue
