#include "common/queue/redis/redis_broker.h"

namespace aof::queue {

Result<Broker> open_redis_broker(const config::QueueConfig&, Jitter) {
  return Error(ErrorCode::kInvalidArgument,
               "queue.type redis is not available in this build yet (issue 3 adds Redis "
               "Streams); use queue.type: memory");
}

}  // namespace aof::queue
