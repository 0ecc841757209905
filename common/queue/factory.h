#pragma once
// Picks the queue and state backends from QueueConfig (one plain switch in factory.cc).

#include <memory>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/config/daemon_config.h"
#include "common/queue/queue.h"
#include "common/queue/state.h"

namespace aof::queue {

struct Broker {
  std::shared_ptr<Queue> queue;
  std::shared_ptr<StateStore> state;
};

// Connects to (or, for memory, creates) the configured broker. `clock` must outlive it.
// Errors: kUnavailable when the broker cannot be reached; kInvalidArgument for a bad URL or a
// backend this build does not have yet (the message says which issue adds it).
Result<Broker> open_broker(const config::QueueConfig& config, Clock& clock);

}  // namespace aof::queue
