#pragma once
// One broker connection's two seams: the queue and the state store (DESIGN §5).

#include <memory>

#include "common/queue/body_aside.h"
#include "common/queue/queue.h"
#include "common/queue/state.h"

namespace aof::queue {

struct Broker {
  std::shared_ptr<Queue> queue;
  std::shared_ptr<StateStore> state;
  // Where bodies over the broker's message limit go (body_aside.h); null on memory (no limit).
  std::shared_ptr<BodyStore> bodies;
};

}  // namespace aof::queue
