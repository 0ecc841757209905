#pragma once
// Queue and StateStore over Redis (layout and lease rules in redis_broker.h). Internal to the
// backend: open_redis_broker() builds them after checking the server.

#include <memory>

#include "common/config/daemon_config.h"
#include "common/queue/body_aside.h"
#include "common/queue/queue.h"
#include "common/queue/redis/redis_pool.h"
#include "common/queue/retry_policy.h"
#include "common/queue/state.h"

namespace aof::queue {

std::shared_ptr<Queue> make_redis_queue(const config::QueueConfig& config,
                                        std::shared_ptr<RedisPool> pool, Jitter jitter);

std::shared_ptr<StateStore> make_redis_state(const config::QueueConfig& config,
                                             std::shared_ptr<RedisPool> pool);

// Bodies over queue.max_inline_body_bytes, stored aside as P:body:<key>:<n> (body_aside.h).
std::shared_ptr<BodyStore> make_redis_body_store(const config::QueueConfig& config,
                                                 std::shared_ptr<RedisPool> pool);

// Creates the class stream and its consumer group if missing (idempotent).
Status ensure_consumer_group(RedisConnection& connection, const config::QueueConfig& config);

}  // namespace aof::queue
