#pragma once
// The embedded broker: queue and state store in process memory (queue.type: memory). The
// reference behaviour of the delivery contract in queue.h, and the zero-dependency way to run
// standalone. Volatile: everything is lost when the process exits.
//
// Time: lease deadlines, retry due times, dedup windows and TTLs come from the injected Clock
// only, so tests drive them with a FakeClock and never sleep. Only fetch()'s `wait` is real
// time (a condition variable). `clock` must outlive the returned objects.

#include <memory>

#include "common/base/clock.h"
#include "common/config/daemon_config.h"
#include "common/queue/queue.h"
#include "common/queue/retry_policy.h"
#include "common/queue/state.h"

namespace aof::queue {

// A queue with the lease, retry, dead-letter, dedup and retention settings of `config`
// (url, stream and consumer_group are unused). `jitter` draws the retry delays.
std::shared_ptr<Queue> make_memory_queue(const config::QueueConfig& config, Clock& clock,
                                         Jitter jitter = default_jitter());

// A key-value store with TTLs measured on `clock`.
std::shared_ptr<StateStore> make_memory_state(Clock& clock);

}  // namespace aof::queue
