#pragma once
// The Lua scripts that make each queue transition atomic on Redis (redis_broker.h describes
// the keys). Each script takes its keys in KEYS and everything else in ARGV; scripts that
// settle a delivery first check that the pending entry is still owned by the caller, so a
// lost lease changes nothing. JSON is built in C++, never in Lua (cjson would rewrite it).

#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.h"
#include "common/queue/redis/redis_connection.h"

namespace aof::queue::redis_scripts {

struct Script {
  std::string_view name;
  std::string source;
  std::string sha1;  // lower-case hex, as EVALSHA wants it
};

// publish: KEYS stream, index, dedup, delivery, delayed, delayed_env, dlq, results
//   ARGV envelope, generation, event id, ttl ms, use dedup, use delivery, group, max queued
//   → "accepted" | "duplicate" | error QUEUEFULL
const Script& publish();
// publish_batch: K publishes in one call, each as if by its own publish() call in order.
//   KEYS stream, delayed, delayed_env, dlq, results, then per event index, dedup, delivery
//   ARGV group, ttl ms, max queued, then per event envelope, generation, event id, use dedup,
//   use delivery
//   → array of K replies, each "accepted" | "duplicate" | an error (QUEUEFULL, OOM, ...)
const Script& publish_batch();
// extend: KEYS stream; ARGV group, consumer, entry → 1 held | 0 lost
const Script& extend();
// ack: KEYS stream, index, results; ARGV group, consumer, entry, id, envelope, result,
//   finished_at, results_max, generation, index prefix → 1 | 0 lost
const Script& ack();
// retry: KEYS stream, index, delayed, delayed_env; ARGV group, consumer, entry, id, envelope,
//   delay ms, generation → 1 | 0 lost
const Script& retry();
// dead: KEYS stream, index, dlq; ARGV group, consumer, entry, id, envelope, failed_at,
//   dlq_max, generation, index prefix, min idle ms (-1 = owner check only) → 1 | 0 lost
const Script& dead();
// requeue: KEYS stream, index; ARGV group, consumer, entry, envelope, generation,
//   min idle ms (-1 = owner check only) → 1 | 0 lost. Used by release and lease expiry.
const Script& requeue();
// promote: KEYS delayed, delayed_env, stream; ARGV limit, index prefix
//   → {moved, ms until the next due retry or -1}
const Script& promote();
// replay: KEYS stream, index, dlq, delivery; ARGV expected index ("dead|gen|entry"),
//   envelope, new generation, event id for the delivery key ("" = none), its ttl ms
//   → 1 | 0 (the index changed: not that dead letter any more)
const Script& replay();
// purge: KEYS index, dlq; ARGV expected index ("dead|gen|entry") → 1 | 0 (changed)
const Script& purge();
// compare_and_set: KEYS key; ARGV expect present (0/1), expected, value, ttl ms → 1 | 0
const Script& compare_and_set();

// What every publish to one queue shares (redis_keys.h names the keys).
struct PublishTarget {
  std::string stream, delayed, delayed_env, dlq, results;
  std::string group;
  std::string ttl_ms;     // dedup and delivery-id keys' lifetime
  std::string queue_max;  // "0" = no limit
};

// One event to publish.
struct PublishEvent {
  std::string index, dedup, delivery;  // its keys
  std::string envelope;                // event::to_json
  std::string generation;
  std::string id;
  bool use_dedup = false;
  bool use_delivery = false;
};

// Appends the formatted EVALSHA of publish() for `event`.
void append_publish(std::string& out, const PublishTarget& target, const PublishEvent& event);
// Appends the formatted EVALSHA of publish_batch() for `events` (in order).
void append_publish_batch(std::string& out, const PublishTarget& target,
                          const std::vector<const PublishEvent*>& events);

// The formatted EVALSHA command (for pipelines).
std::string format_call(const Script& script, const std::vector<std::string_view>& keys,
                        const std::vector<std::string_view>& args);

// Whether `reply` says the server does not have the script (after a restart or SCRIPT FLUSH).
bool is_noscript(const RedisReply& reply);

// Runs `script` on `connection` (EVALSHA; on NOSCRIPT loads it and runs it again). Server
// errors become errors.
Result<RedisReply> run(RedisConnection& connection, const Script& script,
                       const std::vector<std::string_view>& keys,
                       const std::vector<std::string_view>& args);

// SCRIPT LOAD of `script`.
Status load(RedisConnection& connection, const Script& script);

}  // namespace aof::queue::redis_scripts
