#pragma once
// Every name the NATS backend uses on the server, derived from queue.stream (P),
// queue.consumer_group (G) and queue.dead_letter_queue (D) — DESIGN §5:
//   stream P            subjects P.default.<platform> (waiting and leased events; class
//                       "default" today) and P.delayed.<platform> (retries not yet due);
//                       WorkQueue retention; publish() refuses new events at
//                       queue.retention.queue_max, the server (DiscardNew) at queue_max +
//                       transition_headroom(): transitions publish a new copy before they ack
//                       the old one, so a full queue can still retry, release and expire
//   consumer G          durable pull consumer on P.default.*, AckWait = lease_ms
//   consumer G-delayed  durable pull consumer on P.delayed.*, read by maintain()
//   stream P-results    subjects P-results.<id>: one result per event, results_max kept
//   stream D            subjects D.<id>: one dead letter per event, dlq_max kept
//   bucket P-index      event id → where the unfinished event is (state, generation, stream
//                       sequence, lease holder); removed when the event finishes
//   bucket P-dedup      dedup keys, delivery ids and known event ids for dedup_window_secs
//   bucket P-state      the state store (state.h)
//   bucket P-bodies     chunks of bodies stored aside (body_aside.h), MaxAge body_ttl_secs
// Event ids, delivery ids, dedup keys and state keys are encoded (base64url) wherever they
// become a subject token or KV key, so any string works. Names that are not valid stream
// names (letters, digits, - and _) are refused with kInvalidArgument at start-up.

#include <string>
#include <string_view>

#include "common/base/result.h"
#include "common/config/daemon_config.h"

namespace aof::queue {

class NatsClient;

struct NatsNames {
  explicit NatsNames(const config::QueueConfig& config);

  std::string work_stream;
  std::string work_filter;     // P.default.*
  std::string delayed_filter;  // P.delayed.*
  std::string consumer;
  std::string delayed_consumer;
  std::string results_stream;
  std::string dlq_stream;
  std::string index_bucket;
  std::string dedup_bucket;
  std::string state_bucket;
  std::string body_bucket;

  std::string work_subject(std::string_view platform) const;
  std::string delayed_subject(std::string_view platform) const;
  std::string result_subject(std::string_view event_id) const;
  std::string dead_subject(std::string_view event_id) const;
};

// Messages the work stream takes beyond queue_max, for transitions only.
std::int64_t transition_headroom(std::int64_t queue_max);

// base64url without padding: a valid subject token and KV key for any bytes ("" → "_").
std::string encode_token(std::string_view raw);

// kInvalidArgument unless queue.stream, consumer_group and dead_letter_queue are usable names.
Status check_names(const config::QueueConfig& config);

// Creates or updates every stream, consumer and bucket above with the limits of `config`.
// Idempotent: a second process opening the same config succeeds.
Status ensure_layout(NatsClient& client, const config::QueueConfig& config);

}  // namespace aof::queue
