#pragma once
// The queue seam (DESIGN §5): the publish side used by the sidecar and the consume side used
// by workers, over one broker. Backends: memory (embedded, volatile), Redis Streams and NATS
// JetStream (later issues). One factory picks the backend with a plain switch (factory.h).
//
// Delivery contract every backend honours:
// * publish() completes only after the broker confirmed the write (accepted = durable, as far
//   as the backend is durable at all); a dedup key seen within the window → kDuplicate and
//   nothing is written; a rejected publish writes no dedup key.
// * A fetched delivery is leased to its consumer for lease_ms; extend() renews the lease;
//   an expired lease makes the event deliverable again and counts as a failed attempt
//   (history entry "lease_expired"), dead-lettering it when attempts are used up.
// * fail() records a history entry and either reschedules (retryable, attempts left; delay
//   from retry_policy.h) or dead-letters (permanent, or attempts used up).
// * release() gives an unstarted or interrupted delivery back at once without counting an
//   attempt (drain).
// * Generations: an operator replay (replay()) publishes a dead letter again as generation
//   g+1 under the same event id. From then on the event index (find_event) points at the new
//   generation; its attempts start again from 0; its history keeps every entry of the
//   original plus envelope.replays (from which generation, who, when, what was edited). The
//   dead letter of generation g is gone: one event id has exactly one current record.
// Thread safety: every method may be called from any thread concurrently.

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/event/envelope.h"

namespace aof::queue {

enum class PublishStatus { kAccepted, kDuplicate };

struct PublishReceipt {
  PublishStatus status = PublishStatus::kAccepted;
  std::string event_id;  // the published envelope's id (for duplicates: the new, unused id)
};

// One leased event. Copyable; `handle` is the backend's receipt (stream entry id, ack reply
// subject), opaque to callers.
struct Delivery {
  event::Envelope envelope;  // envelope.attempt is this attempt's number (1-based)
  std::string consumer;      // who holds the lease
  std::string handle;
};

// Why an attempt failed.
struct Failure {
  ErrorCode code = ErrorCode::kInternal;  // is_retryable(code) unless `permanent`
  std::string message;
  bool permanent = false;  // skip retries: dead-letter now
};

enum class Disposition { kRetryScheduled, kDeadLettered };

struct FailOutcome {
  Disposition disposition = Disposition::kRetryScheduled;
  Millis delay{0};  // for kRetryScheduled: when it becomes deliverable again
};

enum class EventState { kWaiting, kRunning, kRetrying, kDone, kDead };
const char* to_string(EventState state);

// What an operator sees of one event (aof events show).
struct EventRecord {
  EventState state = EventState::kWaiting;
  event::Envelope envelope;  // latest stored copy (attempt, history)
  std::string result_json;   // set when done: the execution result as JSON text
  std::string finished_at;   // RFC 3339 when done or dead
};

// One consumer (worker process) the broker knows of.
struct ConsumerStats {
  std::string name;
  std::int64_t pending = 0;  // leases it holds now
  std::int64_t idle_ms = 0;  // since it last fetched, extended or settled anything
};

struct QueueStats {
  std::int64_t depth = 0;                         // waiting to be fetched
  std::int64_t pending = 0;                       // leased, in flight
  std::int64_t delayed = 0;                       // waiting for a retry time
  std::int64_t dlq = 0;                           // dead letters
  std::int64_t results = 0;                       // results kept
  std::optional<std::int64_t> oldest_waiting_ms;  // age of the oldest waiting event
  // Every consumer seen since the broker (or, on memory, the process) started, by name. A
  // backend forgets none by itself: a crashed worker stays listed with a growing idle time.
  std::vector<ConsumerStats> consumers;
  // False when the backend cannot tell consumers apart (NATS: one durable pull consumer
  // serves every worker), so `consumers` is empty whatever runs.
  bool consumers_known = true;
  // What each figure is read from on the broker ("stream" → "aof-events:default", "dlq",
  // "delayed", "results", "group", ...), so an operator can look there directly. Empty on
  // memory.
  std::map<std::string, std::string> names;
};

// An operator's replay of one dead letter (aof dlq replay).
struct ReplayRequest {
  std::string event_id;
  std::string by;  // who asks (user@host), recorded in envelope.replays
  // Envelope fields to change (replay.h lists the names, e.g. "action", "target.name",
  // "metadata.pr_number"); an unknown name is kInvalidArgument.
  std::map<std::string, std::string> set;
  std::optional<std::string> body;  // replaces the raw body when given
};

struct ReplayOutcome {
  std::string event_id;
  int generation = 0;  // the generation now waiting
};

class Queue {
 public:
  virtual ~Queue() = default;

  // Publishes asynchronously: the future completes when the broker confirmed (or refused) the
  // write, so concurrent callers can share one round trip. A backend may send the write on
  // the calling thread when its connection is idle (then the future is ready on return);
  // it never blocks longer than its broker I/O timeout. Dedup on envelope.dedup_key (if
  // non-empty) within dedup_window_secs. Errors: kUnavailable (broker down),
  // kResourceExhausted (broker full), kInvalidArgument (envelope too large).
  virtual std::future<Result<PublishReceipt>> publish(event::Envelope envelope) = 0;

  // publish() for a caller that keeps the envelope (the sidecar keeps it for its spool): a
  // backend that has taken what it needs from `envelope` before returning overrides this to
  // spare the copy. The default publishes a copy.
  virtual std::future<Result<PublishReceipt>> publish_kept(const event::Envelope& envelope) {
    return publish(envelope);
  }

  using PublishCallback = std::function<void(Result<PublishReceipt>)>;

  // True when publish_async() never blocks its caller on the broker, so an event loop may
  // call it (Redis: the write goes to the group commit's flusher thread; memory: immediate).
  virtual bool publishes_without_blocking() const { return false; }

  // publish_kept() with a callback instead of a future: `done` runs exactly once, with what
  // the future would hold, on a broker thread, or on the calling thread before this returns
  // when the outcome is known at once (an invalid envelope, the memory queue). The default
  // waits for publish_kept()'s future on the calling thread.
  virtual void publish_async(const event::Envelope& envelope, PublishCallback done) {
    done(publish_kept(envelope).get());
  }

  // Leases up to `max` deliverable events to `consumer`, waiting up to `wait` for the first.
  // An empty vector after `wait` is not an error. Blocks.
  virtual Result<std::vector<Delivery>> fetch(const std::string& consumer, std::size_t max,
                                              Millis wait) = 0;

  // Renews the lease of a live delivery. kNotFound if the lease was lost (expired and
  // re-delivered): the caller must stop reporting on it.
  virtual Status extend(const Delivery& delivery) = 0;

  // Completes a delivery: stores `result` in the results and removes the event.
  virtual Status ack(const Delivery& delivery, const nlohmann::json& result) = 0;

  // Records a failed attempt, then retries later or dead-letters (see the contract above).
  virtual Result<FailOutcome> fail(const Delivery& delivery, const Failure& failure) = 0;

  // Returns a delivery for immediate redelivery without counting an attempt (drain).
  virtual Status release(const Delivery& delivery) = 0;

  // Moves due retries and expired leases back to waiting. Backends with broker-side timers
  // may do this themselves; workers call it between fetches. Returns how many moved.
  virtual Result<std::int64_t> maintain() = 0;

  virtual Result<QueueStats> stats() = 0;

  // Dead letters, newest last, at most `limit`.
  virtual Result<std::vector<event::Envelope>> dead_letters(std::size_t limit) = 0;

  // Looks an event up by event id or provider delivery id. kNotFound if unknown.
  virtual Result<EventRecord> find_event(const std::string& id) = 0;

  // Publishes dead letter request.event_id again as a new generation (see "Generations"
  // above), edited as requested (replay.h builds the envelope; every backend uses it), at the
  // back of the waiting events. Atomic on memory and Redis: either the dead letter is replaced
  // by the waiting new generation, or nothing changed. NATS publishes the new generation first
  // and then removes the old dead letter (a crash between leaves a stale one that replay and
  // purge refuse, since the index names the newer generation). Not deduplicated (a replay is deliberate) and not refused
  // by queue.retention.queue_max (an operator decided). Errors: kNotFound when the event id
  // (a delivery id is not accepted here) is not a dead letter now — unknown, trimmed, or no
  // longer dead (someone replayed or purged it first); kInvalidArgument for an unknown field
  // in `set` or an edited envelope over the limits; kUnavailable (broker down).
  virtual Result<ReplayOutcome> replay(const ReplayRequest& request) = 0;

  // Deletes dead letter `event_id` and forgets the event (find_event then says kNotFound).
  // Atomic per event. kNotFound when `event_id` is not a dead letter now; kUnavailable.
  virtual Status purge_dead_letter(const std::string& event_id) = 0;

  // The backend's name for logs: "memory", "redis", "nats".
  virtual const char* backend() const = 0;

  // What the operator should know about durability, read from the broker at start-up (Redis
  // without appendonly loses accepted events on a restart; memory loses them on exit). One
  // sentence each, saying what to change; empty when accepted events survive a broker
  // restart. May do one broker round trip.
  virtual std::vector<std::string> durability_warnings() { return {}; }
};

}  // namespace aof::queue
