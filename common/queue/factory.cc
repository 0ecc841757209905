#include "common/queue/factory.h"

#include "common/queue/memory.h"
#include "common/queue/nats/nats_broker.h"
#include "common/queue/redis/redis_broker.h"

namespace aof::queue {

Result<Broker> open_broker(const config::QueueConfig& config, Clock& clock, Jitter jitter) {
  switch (config.type) {
    case config::QueueType::kMemory:
      return Broker{make_memory_queue(config, clock, std::move(jitter)), make_memory_state(clock),
                    nullptr};
    case config::QueueType::kRedis:
      return open_redis_broker(config, std::move(jitter));
    case config::QueueType::kNats:
      return open_nats_broker(config, std::move(jitter));
  }
  return Error(ErrorCode::kInternal, "queue.type: unknown backend");
}

}  // namespace aof::queue
