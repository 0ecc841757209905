#pragma once
// Queue and StateStore over NATS JetStream (layout in nats_names.h, lease and retry rules in
// nats_queue.cc). Internal to the backend: open_nats_broker() builds them after creating the
// streams, consumers and buckets.

#include <memory>

#include "common/config/daemon_config.h"
#include "common/queue/body_aside.h"
#include "common/queue/queue.h"
#include "common/queue/retry_policy.h"
#include "common/queue/state.h"

namespace aof::queue {

class NatsClient;

// Bodies over the inline limit, stored aside in bucket P-bodies (nats_names.h, body_aside.h).
std::shared_ptr<BodyStore> make_nats_body_store(const config::QueueConfig& config,
                                                std::shared_ptr<NatsClient> client);

std::shared_ptr<Queue> make_nats_queue(const config::QueueConfig& config,
                                       std::shared_ptr<NatsClient> client, Jitter jitter);

std::shared_ptr<StateStore> make_nats_state(const config::QueueConfig& config,
                                            std::shared_ptr<NatsClient> client);

}  // namespace aof::queue
