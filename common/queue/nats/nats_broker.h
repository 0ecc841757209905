#pragma once
// The NATS JetStream backend of queue.h and state.h (queue.type: nats). Names on the server
// are in nats_names.h; how leases, retries, release and dedup work in nats_queue.cc; the
// operator's view in docs/delivery-semantics.md.

#include "common/base/result.h"
#include "common/config/daemon_config.h"
#include "common/queue/broker.h"
#include "common/queue/retry_policy.h"

namespace aof::queue {

// Connects to queue.url (nats://[user:pass@]host[:port] or tls://...; see nats_url.h) with
// queue.credentials_file if set, then creates or updates the streams, consumers and buckets
// (idempotent). Errors: kUnavailable (unreachable or JetStream not enabled; the message names
// host:port and what to check), kUnauthenticated (credentials refused), kInvalidArgument (bad
// URL, names NATS cannot use, a configuration the server refuses).
Result<Broker> open_nats_broker(const config::QueueConfig& config, Jitter jitter);

}  // namespace aof::queue
