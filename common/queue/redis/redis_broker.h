#pragma once
// The Redis Streams backend of queue.h and state.h (queue.type: redis). Layout on the server,
// every name under the queue.stream prefix P (DESIGN §5):
//   P:default          the class stream: one entry per waiting or leased event
//   P:delayed          sorted set of retrying event ids by due time (server clock, ms)
//   P:delayed:env      hash event id → stored envelope of a retrying event
//   <dead_letter_queue> the DLQ stream (envelope with its full history)
//   P:results          the results stream
//   P:event:<id>       where event <id> is now ("queued|gen|entry", "retrying|gen|", ...)
//   P:delivery:<id>    provider delivery id → event id, for the dedup window
//   P:dedup:<key>      dedup key → event id, for the dedup window
//   P:state:<key>      state store entries
//   P:body:<key>:<n>   chunk n of a body stored aside (body_aside.h), with a TTL
// Leases are consumer-group pending entries; a live worker re-claims to reset their idle
// time, and maintain() moves entries idle longer than lease_ms back to waiting as a new
// entry with the attempt and a "lease_expired" history entry (or to the DLQ).

#include "common/base/result.h"
#include "common/config/daemon_config.h"
#include "common/queue/broker.h"
#include "common/queue/retry_policy.h"

namespace aof::queue {

// Connects to queue.url (redis://[user:pass@]host[:port][/db] or rediss://...; see
// redis_url.h), checks the server, creates the consumer group. Errors: kUnavailable
// (unreachable; the message names host:port and what to check), kUnauthenticated (AUTH
// refused), kInvalidArgument (bad URL, server too old).
Result<Broker> open_redis_broker(const config::QueueConfig& config, Jitter jitter);

}  // namespace aof::queue
