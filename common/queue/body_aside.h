#pragma once
// Bodies over the broker's message limit (DESIGN §5). GitHub sends up to 25 MiB, a NATS server
// takes 1 MiB per message by default and big Redis stream entries slow every reader, so an
// envelope whose JSON is longer than BodyStore::inline_limit() has its body stored aside in
// chunks on the same broker, and the stored envelope carries body_ref instead of the body.
// with_bodies_aside() wraps a broker's Queue so that its callers never see the difference:
// * publish(): the chunks are written first (an accepted event never names a missing body),
//   then the envelope with body_ref. Each publish stores under a fresh key, so a duplicate
//   removes the chunks it just wrote without touching the original's; a failed publish leaves
//   them to the store's TTL (a publish that timed out may have been written after all).
//   Smaller bodies take the backend's own path unchanged (group commit included).
// * fetch(): reassembles the body and checks its length and SHA-256; the Delivery carries the
//   whole body and no body_ref. A missing or corrupt body dead-letters the event at once
//   (permanent failure saying what is wrong), never a crash or a truncated body; a broker
//   error while reading releases the event for later.
// * extend/fail/release store the envelope with body_ref again; ack removes the chunks
//   (results keep no body); purge_dead_letter removes them; replay checks that they are still
//   there and keeps body_ref (a replaced body is published inline and the old chunks go).
// * find_event and dead_letters show the stored form: body_ref, no body.
// Whatever is left over (dead letters trimmed by dlq_max, a crash between two steps) expires
// with the store's TTL, queue.retention.body_ttl_secs.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.h"
#include "common/queue/queue.h"

namespace aof::queue {

// What Envelope::body_ref names: "aside1:<key>:<length>:<chunk size>:<sha256 hex>". Chunks
// 0..chunks()-1 of `key` hold the body, each chunk_size bytes but the last.
struct BodyRef {
  std::string key;  // a ULID, new for every stored copy
  std::size_t length = 0;
  std::size_t chunk_size = 0;
  std::string sha256;  // of the whole body, lowercase hex

  std::size_t chunks() const { return (length + chunk_size - 1) / chunk_size; }
};

std::string to_string(const BodyRef& ref);

// Reads an untrusted body_ref. kInvalidArgument for any other shape, a length over
// `max_body_bytes`, or a chunk size under kMinBodyChunk.
Result<BodyRef> parse_body_ref(std::string_view text, std::size_t max_body_bytes);

inline constexpr std::size_t kMinBodyChunk = 4096;

// Chunks on the broker, each expiring after queue.retention.body_ttl_secs. Thread-safe.
class BodyStore {
 public:
  virtual ~BodyStore() = default;

  // Envelopes whose JSON is longer go aside; also the chunk size.
  virtual std::size_t inline_limit() const = 0;
  // Writes chunks first, first+1, ... of `key` (each at most inline_limit() bytes).
  virtual Status put(const std::string& key, std::size_t first,
                     const std::vector<std::string_view>& chunks) = 0;
  // Chunk `index` of `key`; nullopt when absent (never written, expired or removed).
  virtual Result<std::optional<std::string>> get(const std::string& key, std::size_t index) = 0;
  // Removes chunks 0..count-1 of `key`; absent ones are not an error.
  virtual Status remove(const std::string& key, std::size_t count) = 0;
  // How many chunks are stored now, over every body (operators and tests).
  virtual Result<std::int64_t> stored_chunks() = 0;
  // Where they are on the broker, for `aof stats` ("aof-events:body:*", "aof-events-bodies").
  virtual std::string name() const = 0;
};

// `inner` with bodies over store->inline_limit() stored aside in `store` (see above).
std::shared_ptr<Queue> with_bodies_aside(std::shared_ptr<Queue> inner,
                                         std::shared_ptr<BodyStore> store);

}  // namespace aof::queue
