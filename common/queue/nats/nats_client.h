#pragma once
// One connection to a NATS server with its JetStream context, behind a small C++ interface so
// that cnats types stay inside nats_client.cc (DESIGN §2). It offers what the queue and the
// state store need: idempotent creation of streams, durable pull consumers and KV buckets;
// synchronous and asynchronous publishes (each async publish completes its own callback when
// its PubAck arrives, so concurrent publishes share round trips); reads by sequence; pull
// fetches whose deliveries are settled later by handle; KV get/put/create/update/delete.
//
// Every call waits at most endpoint.io_timeout (connect: connect_timeout). Errors:
// kUnavailable (server unreachable, disconnected, JetStream not enabled: the message names
// host:port and what to check), kUnauthenticated (credentials refused or not permitted),
// kTimeout (a deadline passed), kResourceExhausted (a stream or bucket is full),
// kInvalidArgument (message over max_payload, a config the server refuses), kInternal.
// Thread safety: every method may be called from any thread concurrently. Async publish
// callbacks run on one completion thread owned by the client, never on a cnats thread, so they
// may call back into the client.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/queue/nats/nats_url.h"

namespace aof::queue {

struct NatsMessage {
  std::string subject;
  std::string data;
  std::vector<std::pair<std::string, std::string>> headers;
  std::uint64_t seq = 0;     // stream sequence (messages read from or fetched off a stream)
  std::int64_t time_ms = 0;  // when the stream stored it, ms since the epoch (idem)

  // The first value of header `name`, "" when absent.
  std::string header(std::string_view name) const;
};

struct PubAck {
  std::uint64_t seq = 0;
  bool duplicate = false;  // the stream had seen this Nats-Msg-Id within its window
};

// A message fetched from a pull consumer, leased until settled through `handle`.
struct PulledMessage {
  NatsMessage message;
  std::string handle;            // unique per delivery (the ack subject)
  std::uint64_t deliveries = 1;  // how often the server delivered it (NumDelivered)
};

struct StreamSpec {
  std::string name;
  std::vector<std::string> subjects;
  bool work_queue = false;   // WorkQueue retention: a message is removed once acked
  std::int64_t max_msgs = -1;  // -1 = unlimited
  std::int64_t max_msgs_per_subject = -1;
  bool discard_new = false;  // full → refuse new messages (else drop the oldest)
  Millis duplicates{0};      // Nats-Msg-Id window; 0 = the server's default (2 min)
};

struct ConsumerSpec {
  std::string durable;
  std::string filter;  // subject filter
  Millis ack_wait{30000};
  std::int64_t max_ack_pending = -1;  // -1 = unlimited
};

struct BucketSpec {
  std::string name;
  Millis ttl{0};               // bucket-wide MaxAge; 0 = none
  std::int64_t max_bytes = -1;  // -1 = unlimited
};

// The fields of stream info the queue reads.
struct StreamCounts {
  std::uint64_t msgs = 0;
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  bool memory_storage = false;
};

// The fields of consumer info the queue reads.
struct ConsumerCounts {
  std::int64_t undelivered = 0;  // NumPending: matching messages never delivered
  std::int64_t ack_pending = 0;  // delivered, not yet acked
  std::uint64_t delivered_stream_seq = 0;  // the highest stream sequence delivered
};

struct KvEntry {
  std::string value;
  std::uint64_t revision = 0;
};

class NatsClient {
 public:
  // Connects (with user/password, .creds or TLS as the endpoint says) and opens JetStream.
  static Result<std::shared_ptr<NatsClient>> connect(const NatsEndpoint& endpoint);

  ~NatsClient();
  NatsClient(const NatsClient&) = delete;
  NatsClient& operator=(const NatsClient&) = delete;

  const NatsEndpoint& endpoint() const;
  // The server's max_payload: the largest message it accepts, headers included.
  std::int64_t max_payload() const;

  // Create-or-update, idempotent: a second process opening the same names succeeds.
  Status ensure_stream(const StreamSpec& spec);
  Status ensure_consumer(const std::string& stream, const ConsumerSpec& spec);
  Status ensure_bucket(const BucketSpec& spec);

  Result<StreamCounts> stream_counts(const std::string& stream);
  Result<ConsumerCounts> consumer_counts(const std::string& stream, const std::string& durable);

  // Publishes and waits for the PubAck. `msg_id` ("" = none) becomes Nats-Msg-Id.
  Result<PubAck> publish(const NatsMessage& message, const std::string& msg_id = "");
  // Publishes without waiting; `done` runs once with the PubAck or the error, on the client's
  // completion thread.
  using PublishDone = std::function<void(Result<PubAck>)>;
  void publish_async(const NatsMessage& message, const std::string& msg_id, PublishDone done);

  // The message at `seq`, nullopt when there is none (never stored, deleted or trimmed).
  Result<std::optional<NatsMessage>> get(const std::string& stream, std::uint64_t seq);
  // The last message on `subject` (literal), nullopt when there is none.
  Result<std::optional<NatsMessage>> get_last(const std::string& stream,
                                              const std::string& subject);
  // The first message at or after `seq` matching `subject` (wildcards allowed), nullopt when
  // there is none. Needs AllowDirect on the stream (ensure_stream sets it).
  Result<std::optional<NatsMessage>> next_matching(const std::string& stream, std::uint64_t seq,
                                                   const std::string& subject);
  // Removes the message at `seq`; an absent one is not an error.
  Status erase(const std::string& stream, std::uint64_t seq);
  // Removes every message on `subject` (no marker is left behind).
  Status purge(const std::string& stream, const std::string& subject);

  // Fetches up to `batch` messages from durable consumer `durable` of `stream` (bound, never
  // created here), through a subscription of its own per `puller` name, waiting up to `wait`
  // for the first (0 = return what is there now). An empty vector is not an error.
  Result<std::vector<PulledMessage>> fetch(const std::string& stream, const std::string& durable,
                                           const std::string& filter, const std::string& puller,
                                           std::size_t batch, Millis wait);
  // Settles a delivery this client fetched. ack waits for the server's confirmation; the others
  // are sent without a reply. kNotFound when the handle is not (or no longer) held here.
  Status ack(const std::string& handle);
  Status in_progress(const std::string& handle);
  Status nak_after(const std::string& handle, Millis delay);
  Status term(const std::string& handle);
  // Drops a held delivery without telling the server (its lease was lost elsewhere).
  void forget(const std::string& handle);

  // KV on a bucket opened with ensure_bucket. Keys must be valid KV keys.
  Result<std::optional<KvEntry>> kv_get(const std::string& bucket, const std::string& key);
  Result<std::uint64_t> kv_put(const std::string& bucket, const std::string& key,
                               std::string_view value);
  // Only if absent (or deleted); nullopt when the key exists.
  Result<std::optional<std::uint64_t>> kv_create(const std::string& bucket, const std::string& key,
                                                 std::string_view value);
  // Only if the key's revision is still `revision`; nullopt when it changed.
  Result<std::optional<std::uint64_t>> kv_update(const std::string& bucket, const std::string& key,
                                                 std::string_view value, std::uint64_t revision);
  // Removes the key and its history without leaving a delete marker (markers of keys that are
  // never written again would pile up: the index deletes one key per finished event).
  Status kv_purge(const std::string& bucket, const std::string& key);

 private:
  struct State;
  explicit NatsClient(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace aof::queue
