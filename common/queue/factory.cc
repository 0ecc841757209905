#include "common/queue/factory.h"

#include "common/queue/memory.h"

namespace aof::queue {

Result<Broker> open_broker(const config::QueueConfig& config, Clock& clock) {
  switch (config.type) {
    case config::QueueType::kMemory:
      return Broker{make_memory_queue(config, clock), make_memory_state(clock)};
    case config::QueueType::kRedis:
      return Error(ErrorCode::kInvalidArgument,
                   "queue.type redis is not available in this build yet (issue 3 adds Redis "
                   "Streams); use queue.type: memory");
    case config::QueueType::kNats:
      return Error(ErrorCode::kInvalidArgument,
                   "queue.type nats is not available in this build yet (issue 4 adds NATS "
                   "JetStream); use queue.type: memory");
  }
  return Error(ErrorCode::kInternal, "queue.type: unknown backend");
}

}  // namespace aof::queue
