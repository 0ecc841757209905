// The JetStream queue (nats_names.h has the layout). JetStream messages are immutable and a
// consumer cannot tell "expired lease" from "nak", so the truth about each unfinished event is
// its record in the P-index bucket (state, generation, the stream sequence of its current
// copy, the lease holder and handle), changed only by compare-and-set on the KV revision.
// Every transition that changes attempt or history publishes a new copy of the envelope and
// then acks the old message; a copy the index does not point at is stale and is dropped when
// it is delivered. Hence:
// * Leases: AckWait = lease_ms; extend() is an in-progress ack. A lease that runs out is
//   noticed either by maintain() in the process that holds it or, when that process died, by
//   the fetch that receives the server's redelivery: the index still names the old holder, so
//   the attempt counts (history "lease_expired") and a new copy is queued or dead-lettered.
// * release() publishes an unchanged copy (attempt not counted) at the back and acks the old
//   one: never a nak, whose delivery count would look like an expired lease.
// * Retries go to P.delayed.<platform> with their due time in the Aof-Due header; maintain()
//   reads them through the G-delayed consumer, promotes the due ones and naks the others with
//   the remaining delay, so a retry storm never occupies the work consumer's ack-pending slots.
// * Publish: the long-horizon dedup key is checked in P-dedup, then the event is published
//   asynchronously with Nats-Msg-Id (a PubAck "duplicate" is a duplicate), then the keys are
//   written: a crash between cannot make a retry a false duplicate; a refused publish writes
//   no key. New events are refused at queue_max by publish() itself; the stream's own limit
//   lies above it, so that transitions (which publish before they ack) work on a full queue.
// Differences from the memory queue, all allowed by the contract: released and expired events
// go to the back of the stream; due times and lease deadlines are measured on this process's
// clock (retries) and the server's (AckWait).
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <unordered_map>

#include "common/base/log.h"
#include "common/queue/nats/nats_client.h"
#include "common/queue/nats/nats_names.h"
#include "common/queue/nats/nats_queue.h"
#include "common/queue/replay.h"

namespace aof::queue {
namespace {

using event::Envelope;
using SteadyClock = std::chrono::steady_clock;

constexpr Millis kMaxWait = std::chrono::hours(24);
// The longest one pull request waits: bounds how late a due retry is promoted by a blocked
// fetch (each round runs maintain() first).
constexpr Millis kMaxBlock{500};
constexpr std::size_t kPromoteBatch = 100;
// Room left in max_payload for the headers we add (Nats-Msg-Id, Aof-Due).
constexpr std::int64_t kHeaderAllowance = 512;
// How often a transition re-reads the index after losing a compare-and-set to a racer.
constexpr int kIndexRounds = 3;
// When a delivered copy is newer than what the index points at, its transition is still
// writing the index: the copy comes round again after this.
constexpr Millis kUnindexedRetry{20};
constexpr Millis kRoomCheckEvery{100};
constexpr const char* kDueHeader = "Aof-Due";
constexpr const char* kFinishedHeader = "Aof-Finished-At";
constexpr const char* kExpectNoKeyHeader = "Nats-Expected-Last-Subject-Sequence";

long long now_ms() { return to_unix_ms(SystemClock::instance().now()); }
std::string now_text() { return to_rfc3339(SystemClock::instance().now()); }

// Where an unfinished event is: the P-index record.
struct IndexRecord {
  std::string state;  // queued | running | retrying | done | dead
  int generation = 0;
  std::uint64_t seq = 0;  // stream sequence of the current copy in the work stream
  std::string handle;     // running: the delivery holding the lease
  std::string worker;     // running: its consumer
};

struct IndexRead {
  IndexRecord record;
  std::uint64_t revision = 0;
};

std::string to_value(const IndexRecord& r) {
  return nlohmann::json{{"s", r.state}, {"g", r.generation}, {"q", r.seq}, {"h", r.handle},
                        {"w", r.worker}}
      .dump();
}

std::optional<IndexRecord> parse_index(const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  IndexRecord r;
  r.state = json.value("s", "");
  r.generation = json.value("g", 0);
  r.seq = json.value("q", std::uint64_t{0});
  r.handle = json.value("h", "");
  r.worker = json.value("w", "");
  return r;
}

// "<expiry unix ms>|<payload>": values of P-dedup carry their own expiry (the bucket's MaxAge
// removes them too, but only on the server's schedule).
std::string with_expiry(long long expiry_ms, std::string_view payload) {
  return std::to_string(expiry_ms) + "|" + std::string(payload);
}
std::optional<std::string> live_payload(const std::optional<KvEntry>& entry) {
  if (!entry) return std::nullopt;
  const auto bar = entry->value.find('|');
  if (bar == std::string::npos) return std::nullopt;
  if (std::atoll(entry->value.substr(0, bar).c_str()) <= now_ms()) return std::nullopt;
  return entry->value.substr(bar + 1);
}

Error lost(const char* operation, const Delivery& delivery) {
  return Error(ErrorCode::kNotFound,
               std::string(operation) + ": event " + delivery.envelope.id +
                   " is not leased under this delivery (lease lost or already settled)");
}

// What the PubAck handler needs to finish one publish; shared by its follow-up writes.
struct PublishJob {
  NatsClient* client = nullptr;
  std::string index_bucket;
  std::string dedup_bucket;
  std::string results_stream;
  std::string dlq_stream;
  std::string result_subject;
  std::string dead_subject;
  Envelope envelope;  // body dropped after the publish
  bool use_dedup = false;
  long long expiry_ms = 0;
  std::promise<Result<PublishReceipt>> promise;
  std::atomic<int> writes_left{0};
  std::shared_ptr<spdlog::logger> log;
};

class NatsQueue final : public Queue {
 public:
  NatsQueue(const config::QueueConfig& config, std::shared_ptr<NatsClient> client, Jitter jitter)
      : config_(config),
        names_(config),
        client_(std::move(client)),
        jitter_(std::move(jitter)),
        policy_(retry_policy_of(config)),
        lease_(config.lease_ms),
        dedup_window_ms_(std::max<std::int64_t>(config.dedup_window_secs, 0) * 1000),
        log_(log::get(log::Component::kQueue)) {}

  std::future<Result<PublishReceipt>> publish(Envelope envelope) override;
  Result<std::vector<Delivery>> fetch(const std::string& consumer, std::size_t max,
                                      Millis wait) override;
  Status extend(const Delivery& delivery) override;
  Status ack(const Delivery& delivery, const nlohmann::json& result) override;
  Result<FailOutcome> fail(const Delivery& delivery, const Failure& failure) override;
  Status release(const Delivery& delivery) override;
  Result<std::int64_t> maintain() override;
  Result<QueueStats> stats() override;
  Result<std::vector<Envelope>> dead_letters(std::size_t limit) override;
  Result<EventRecord> find_event(const std::string& id) override;
  Result<ReplayOutcome> replay(const ReplayRequest& request) override;
  Status purge_dead_letter(const std::string& event_id) override;
  const char* backend() const override { return "nats"; }
  std::vector<std::string> durability_warnings() override;

 private:
  struct Lease {
    Envelope envelope;  // as delivered (attempt = this attempt)
    std::string consumer;
    SteadyClock::time_point deadline;
  };

  std::string index_key(const std::string& id) const { return encode_token(id); }

  Result<std::optional<IndexRead>> read_index(const std::string& id);
  Result<bool> swap_index(const std::string& id, const IndexRead& current, const IndexRecord& next);
  // The index record of a delivery still leased under its handle, or kNotFound.
  Result<IndexRead> held(const Delivery& delivery, const char* operation);
  Result<std::optional<PublishReceipt>> precheck(const Envelope& envelope, bool use_dedup);
  // kResourceExhausted when the work stream holds queue_max messages (waiting, leased,
  // retrying). Reads the stream's count at most every kRoomCheckEvery, and again when the
  // count it knows says full; counts its own publishes in between.
  Status check_room();
  static void on_published(const std::shared_ptr<PublishJob>& job, Result<PubAck> ack);

  Result<std::optional<Delivery>> take(PulledMessage pulled, const std::string& consumer);
  Delivery lease(Envelope stored, const std::string& consumer, const std::string& handle);
  void drop_lease(const std::string& handle);

  // Publishes `envelope` as the event's new copy on `subject` and points the index at it in
  // `state`; false (and the copy removed again) when the index moved meanwhile.
  Result<bool> move_copy(const Envelope& envelope, const std::string& subject,
                         const std::string& state, const IndexRead& current,
                         long long due_ms = 0);
  // Marks the event finished (done with `result`, or dead), stores it in the results or the
  // DLQ and removes its index record; false when the index moved meanwhile.
  Result<bool> finish(const Envelope& envelope, const IndexRead& current,
                      const nlohmann::json* result);
  // The attempt `envelope.attempt` ran out of lease under `holder`: count it and requeue or
  // dead-letter. Returns whether this call moved it.
  Result<bool> expire(Envelope envelope, const IndexRead& current, const std::string& holder);

  Result<std::int64_t> promote();
  Result<std::int64_t> reclaim_own();
  Result<std::optional<EventRecord>> find_once(const std::string& id, bool& moved);
  // The stored dead letter of event `id`: kNotFound unless the DLQ holds it and no newer
  // generation is unfinished (its index record would name it).
  Result<NatsMessage> dead_letter_of(const std::string& id);

  const config::QueueConfig config_;
  const NatsNames names_;
  std::shared_ptr<NatsClient> client_;
  const Jitter jitter_;
  const RetryPolicy policy_;
  const Millis lease_;
  const std::int64_t dedup_window_ms_;
  std::shared_ptr<spdlog::logger> log_;

  std::mutex room_mu_;
  std::int64_t known_msgs_ = 0;                  // guarded by room_mu_
  SteadyClock::time_point known_at_{};           // guarded by room_mu_

  std::mutex leases_mu_;
  std::unordered_map<std::string, Lease> leases_;  // by handle; guarded by leases_mu_
};

Result<std::optional<IndexRead>> NatsQueue::read_index(const std::string& id) {
  auto entry = client_->kv_get(names_.index_bucket, index_key(id));
  if (!entry) return entry.error();
  if (!*entry) return std::optional<IndexRead>();
  auto record = parse_index((*entry)->value);
  if (!record) {
    return Error(ErrorCode::kInternal, "the index record of event " + id + " is not valid JSON");
  }
  return std::optional<IndexRead>(IndexRead{std::move(*record), (*entry)->revision});
}

Result<bool> NatsQueue::swap_index(const std::string& id, const IndexRead& current,
                                   const IndexRecord& next) {
  auto updated =
      client_->kv_update(names_.index_bucket, index_key(id), to_value(next), current.revision);
  if (!updated) return updated.error();
  return updated->has_value();
}

Result<IndexRead> NatsQueue::held(const Delivery& delivery, const char* operation) {
  auto index = read_index(delivery.envelope.id);
  if (!index) return index.error().with_context(operation);
  if (!*index || (*index)->record.state != "running" ||
      (*index)->record.handle != delivery.handle) {
    client_->forget(delivery.handle);
    drop_lease(delivery.handle);
    return lost(operation, delivery);
  }
  return **index;
}

// ---- publish ----

Result<std::optional<PublishReceipt>> NatsQueue::precheck(const Envelope& envelope,
                                                         bool use_dedup) {
  const PublishReceipt duplicate{PublishStatus::kDuplicate, envelope.id};
  if (use_dedup) {
    auto key = client_->kv_get(names_.dedup_bucket, "dd." + encode_token(envelope.dedup_key));
    if (!key) return key.error();
    if (live_payload(*key)) return std::optional<PublishReceipt>(duplicate);
  }
  if (dedup_window_ms_ > 0) {
    auto known = client_->kv_get(names_.dedup_bucket, "id." + encode_token(envelope.id));
    if (!known) return known.error();
    const auto generation = live_payload(*known);
    if (generation && std::atoi(generation->c_str()) >= envelope.generation) {
      return std::optional<PublishReceipt>(duplicate);
    }
  }
  return std::optional<PublishReceipt>();
}

Status NatsQueue::check_room() {
  const std::int64_t queue_max = config_.retention.queue_max;
  if (queue_max <= 0) return ok_status();
  std::lock_guard lock(room_mu_);
  const auto now = SteadyClock::now();
  if (now - known_at_ >= kRoomCheckEvery || known_msgs_ >= queue_max) {
    auto counts = client_->stream_counts(names_.work_stream);
    if (!counts) return counts.error();
    known_msgs_ = static_cast<std::int64_t>(counts->msgs);
    known_at_ = now;
  }
  if (known_msgs_ >= queue_max) {
    return Error(ErrorCode::kResourceExhausted,
                 "the queue is full: " + std::to_string(queue_max) +
                     " events are already queued (queue.retention.queue_max); add workers, or "
                     "raise queue.retention.queue_max");
  }
  ++known_msgs_;
  return ok_status();
}

std::future<Result<PublishReceipt>> NatsQueue::publish(Envelope envelope) {
  auto job = std::make_shared<PublishJob>();
  auto future = job->promise.get_future();
  if (auto valid = event::validate_envelope(envelope); !valid) {
    job->promise.set_value(valid.error().with_context("publish"));
    return future;
  }
  NatsMessage message{names_.work_subject(envelope.platform), event::to_json(envelope), {}};
  const std::int64_t limit = client_->max_payload() - kHeaderAllowance;
  if (static_cast<std::int64_t>(message.data.size()) > limit) {
    job->promise.set_value(Error(
        ErrorCode::kInvalidArgument,
        "publish: the envelope of event " + envelope.id + " is " +
            std::to_string(message.data.size()) + " bytes; the NATS server at " +
            client_->endpoint().address() + " accepts at most " +
            std::to_string(client_->max_payload()) +
            " per message (max_payload): its fields other than a body stored aside are too "
            "large, or a replay's edited body is (edited bodies are published inline)"));
    return future;
  }
  // Dedup catches provider redeliveries (generation 0); a replay is deliberate.
  const bool use_dedup =
      envelope.generation == 0 && !envelope.dedup_key.empty() && dedup_window_ms_ > 0;
  auto known = precheck(envelope, use_dedup);
  if (!known) {
    job->promise.set_value(known.error().with_context("publish"));
    return future;
  }
  if (*known) {
    job->promise.set_value(**known);
    return future;
  }
  if (auto room = check_room(); !room) {
    job->promise.set_value(room.error().with_context("publish"));
    return future;
  }
  const std::string msg_id = use_dedup ? "dd:" + envelope.dedup_key
                                       : "id:" + envelope.id + ":" +
                                             std::to_string(envelope.generation);
  job->client = client_.get();
  job->index_bucket = names_.index_bucket;
  job->dedup_bucket = names_.dedup_bucket;
  job->results_stream = names_.results_stream;
  job->dlq_stream = names_.dlq_stream;
  job->result_subject = names_.result_subject(envelope.id);
  job->dead_subject = names_.dead_subject(envelope.id);
  job->use_dedup = use_dedup;
  job->expiry_ms = now_ms() + dedup_window_ms_;
  job->log = log_;
  envelope.body.clear();
  job->envelope = std::move(envelope);
  // The callback holds the job only: the client's destructor completes it even if this queue
  // is gone by then.
  client_->publish_async(message, msg_id, [job](Result<PubAck> ack) { on_published(job, ack); });
  return future;
}

// Runs on the client's completion thread once the event's PubAck (or error) arrived; writes
// the keys that make later publishes of this delivery duplicates and the index record, then
// completes the caller's future.
void NatsQueue::on_published(const std::shared_ptr<PublishJob>& job, Result<PubAck> ack) {
  const Envelope& e = job->envelope;
  if (!ack) return job->promise.set_value(ack.error().with_context("publish"));
  if (ack->duplicate) {
    return job->promise.set_value(PublishReceipt{PublishStatus::kDuplicate, e.id});
  }
  if (e.generation > 0) {
    // A replay takes the place of the older generation's result or dead letter.
    for (const auto& [stream, subject] : {std::pair{job->results_stream, job->result_subject},
                                          std::pair{job->dlq_stream, job->dead_subject}}) {
      if (auto purged = job->client->purge(stream, subject); !purged) {
        job->log->warn("event_id={} replay: could not remove the older generation from {}: {}",
                       e.id, stream, purged.error().message());
      }
    }
  }
  struct Write {
    std::string bucket, key, value;
    bool create_only = false;
  };
  std::vector<Write> writes;
  writes.push_back({job->index_bucket, encode_token(e.id),
                    to_value(IndexRecord{"queued", e.generation, ack->seq, "", ""}), true});
  if (job->expiry_ms > now_ms()) {
    writes.push_back({job->dedup_bucket, "id." + encode_token(e.id),
                      with_expiry(job->expiry_ms, std::to_string(e.generation))});
    if (job->use_dedup) {
      writes.push_back({job->dedup_bucket, "dd." + encode_token(e.dedup_key),
                        with_expiry(job->expiry_ms, e.id)});
    }
    if (!e.delivery_id.empty()) {
      writes.push_back({job->dedup_bucket, "dl." + encode_token(e.delivery_id),
                        with_expiry(job->expiry_ms, e.id)});
    }
  }
  job->writes_left = static_cast<int>(writes.size());
  for (auto& w : writes) {
    NatsMessage message{"$KV." + w.bucket + "." + w.key, std::move(w.value), {}};
    // The index record is created only if absent: a fast worker may already have leased it.
    if (w.create_only) message.headers.emplace_back(kExpectNoKeyHeader, "0");
    job->client->publish_async(message, "", [job, create_only = w.create_only](Result<PubAck> r) {
      if (!r && !(create_only && r.error().message().find("wrong last sequence") !=
                                     std::string::npos)) {
        // The event is stored: a missing key weakens dedup or lookup, it loses nothing.
        job->log->warn("event_id={} accepted, but a follow-up key could not be written: {}",
                       job->envelope.id, r.error().message());
      }
      if (--job->writes_left == 0) {
        job->promise.set_value(PublishReceipt{PublishStatus::kAccepted, job->envelope.id});
      }
    });
  }
}

// ---- fetch and leases ----

Result<std::vector<Delivery>> NatsQueue::fetch(const std::string& consumer, std::size_t max,
                                               Millis wait) {
  if (consumer.empty()) {
    return Error(ErrorCode::kInvalidArgument, "fetch: consumer must not be empty");
  }
  const auto give_up = SteadyClock::now() + std::clamp(wait, Millis(0), kMaxWait);
  while (true) {
    if (auto maintained = maintain(); !maintained) return maintained.error().with_context("fetch");
    if (max == 0) return std::vector<Delivery>{};
    const auto left = std::chrono::duration_cast<Millis>(give_up - SteadyClock::now());
    const Millis block = std::clamp(left, Millis(0), kMaxBlock);
    auto pulled = client_->fetch(names_.work_stream, names_.consumer, names_.work_filter,
                                 consumer, max, block);
    if (!pulled) return pulled.error().with_context("fetch");
    std::vector<Delivery> out;
    for (auto& message : *pulled) {
      auto delivery = take(std::move(message), consumer);
      if (!delivery) return delivery.error().with_context("fetch");
      if (*delivery) out.push_back(std::move(**delivery));
    }
    if (!out.empty() || left <= Millis(0)) return out;
  }
}

// Decides what one delivered message is: a lease for `consumer`, a stale copy (acked and
// dropped), or the server's redelivery of an expired lease (counted, then requeued).
Result<std::optional<Delivery>> NatsQueue::take(PulledMessage pulled, const std::string& consumer) {
  const std::uint64_t seq = pulled.message.seq;
  auto parsed = event::parse_envelope(pulled.message.data);
  if (!parsed) {
    log_->error("{} #{} is not a valid envelope ({}); dropping it", names_.work_stream, seq,
                parsed.error().message());
    (void)client_->term(pulled.handle);
    return std::optional<Delivery>();
  }
  Envelope stored = std::move(*parsed);
  const IndexRecord running{"running", stored.generation, seq, pulled.handle, consumer};
  for (int round = 0; round < kIndexRounds; ++round) {
    auto index = read_index(stored.id);
    if (!index) return index.error();
    if (!*index) {  // published a moment ago: the publisher's index write has not landed yet
      auto created = client_->kv_create(names_.index_bucket, index_key(stored.id), to_value(running));
      if (!created) return created.error();
      if (*created) return std::optional<Delivery>(lease(std::move(stored), consumer, pulled.handle));
      continue;
    }
    const IndexRecord& current = (*index)->record;
    const bool newer_generation = stored.generation > current.generation;
    if (current.seq < seq && !newer_generation) {
      // A copy whose transition has not updated the index yet (or lost its race and is being
      // removed again): look again shortly.
      (void)client_->nak_after(pulled.handle, kUnindexedRetry);
      return std::optional<Delivery>();
    }
    if (current.seq != seq && !newer_generation) {  // superseded copy
      (void)client_->ack(pulled.handle);
      return std::optional<Delivery>();
    }
    if (current.state == "queued" || newer_generation) {
      auto swapped = swap_index(stored.id, **index, running);
      if (!swapped) return swapped.error();
      if (*swapped) return std::optional<Delivery>(lease(std::move(stored), consumer, pulled.handle));
      continue;
    }
    if (current.state == "running" && current.handle != pulled.handle) {
      stored.attempt += 1;  // the attempt whose lease ran out
      auto moved = expire(std::move(stored), **index, current.worker);
      if (!moved) return moved.error();
      (void)client_->ack(pulled.handle);
      return std::optional<Delivery>();
    }
    (void)client_->ack(pulled.handle);  // finished meanwhile
    return std::optional<Delivery>();
  }
  (void)client_->nak_after(pulled.handle, Millis(0));  // contended: let it come round again
  return std::optional<Delivery>();
}

Delivery NatsQueue::lease(Envelope stored, const std::string& consumer, const std::string& handle) {
  stored.attempt += 1;
  Delivery delivery{std::move(stored), consumer, handle};
  std::lock_guard lock(leases_mu_);
  leases_[handle] = Lease{delivery.envelope, consumer, SteadyClock::now() + lease_};
  return delivery;
}

void NatsQueue::drop_lease(const std::string& handle) {
  std::lock_guard lock(leases_mu_);
  leases_.erase(handle);
}

Status NatsQueue::extend(const Delivery& delivery) {
  auto index = held(delivery, "extend");
  if (!index) return index.error();
  if (auto extended = client_->in_progress(delivery.handle); !extended) {
    if (extended.error().code() == ErrorCode::kNotFound) return lost("extend", delivery);
    return extended.error().with_context("extend");
  }
  std::lock_guard lock(leases_mu_);
  const auto it = leases_.find(delivery.handle);
  if (it != leases_.end()) it->second.deadline = SteadyClock::now() + lease_;
  return ok_status();
}

// ---- transitions ----

Result<bool> NatsQueue::move_copy(const Envelope& envelope, const std::string& subject,
                                  const std::string& state, const IndexRead& current,
                                  long long due_ms) {
  NatsMessage copy{subject, event::to_json(envelope), {}};
  if (due_ms > 0) copy.headers.emplace_back(kDueHeader, std::to_string(due_ms));
  auto published = client_->publish(copy);
  if (!published) return published.error();
  auto swapped =
      swap_index(envelope.id, current,
                 IndexRecord{state, envelope.generation, published->seq, "", ""});
  if (!swapped || !*swapped) (void)client_->erase(names_.work_stream, published->seq);
  return swapped;
}

Result<bool> NatsQueue::finish(const Envelope& envelope, const IndexRead& current,
                               const nlohmann::json* result) {
  const bool done = result != nullptr;
  IndexRecord finished{done ? "done" : "dead", envelope.generation, current.record.seq, "", ""};
  auto claimed = swap_index(envelope.id, current, finished);
  if (!claimed || !*claimed) return claimed;
  NatsMessage message;
  const std::string at = now_text();
  if (done) {
    message.subject = names_.result_subject(envelope.id);
    message.data = nlohmann::json{{"envelope", event::to_json_value(envelope)},
                                  {"result", *result},
                                  {"finished_at", at}}
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    message.subject = names_.dead_subject(envelope.id);
    message.data = event::to_json(envelope);
    message.headers.emplace_back(kFinishedHeader, at);
  }
  auto stored = client_->publish(message);
  if (!stored) {
    // Give the lease back so the event is not left marked finished with nothing stored.
    if (auto again = read_index(envelope.id); again && *again) {
      (void)swap_index(envelope.id, **again, current.record);
    }
    return stored.error();
  }
  if (auto purged = client_->kv_purge(names_.index_bucket, index_key(envelope.id)); !purged) {
    log_->warn("event_id={} finished, but its index record stays: {}", envelope.id,
               purged.error().message());
  }
  return true;
}

Result<bool> NatsQueue::expire(Envelope envelope, const IndexRead& current,
                               const std::string& holder) {
  const int attempt = envelope.attempt;
  event::append_history(envelope, {attempt, holder, now_text(), "lease_expired",
                                   "lease of " + std::to_string(lease_.count()) + " ms expired"});
  const bool retry = may_retry(policy_, attempt);
  auto moved = retry ? move_copy(envelope, names_.work_subject(envelope.platform), "queued", current)
                     : finish(envelope, current, nullptr);
  if (moved && *moved) {
    log_->warn("event_id={} attempt={} lease of {} expired after {} ms; {}", envelope.id, attempt,
               holder, lease_.count(), retry ? "requeued" : "dead-lettered");
  }
  return moved;
}

Status NatsQueue::ack(const Delivery& delivery, const nlohmann::json& result) {
  auto index = held(delivery, "ack");
  if (!index) return index.error();
  Envelope finished = delivery.envelope;
  finished.body.clear();  // results keep the history, not the (large) payload
  auto done = finish(finished, *index, &result);
  if (!done) return done.error().with_context("ack");
  if (!*done) return lost("ack", delivery);
  (void)client_->ack(delivery.handle);
  drop_lease(delivery.handle);
  return ok_status();
}

Result<FailOutcome> NatsQueue::fail(const Delivery& delivery, const Failure& failure) {
  auto index = held(delivery, "fail");
  if (!index) return index.error();
  Envelope failed = delivery.envelope;
  const int attempt = failed.attempt;
  event::append_history(failed, {attempt, delivery.consumer, now_text(), to_string(failure.code),
                                 failure.message});
  FailOutcome outcome{Disposition::kDeadLettered, Millis(0)};
  Result<bool> moved = false;
  if (failure.permanent || !is_retryable(failure.code) || !may_retry(policy_, attempt)) {
    moved = finish(failed, *index, nullptr);
  } else {
    outcome = FailOutcome{Disposition::kRetryScheduled, backoff_delay(policy_, attempt, jitter_)};
    moved = move_copy(failed, names_.delayed_subject(failed.platform), "retrying", *index,
                      now_ms() + outcome.delay.count());
  }
  if (!moved) return moved.error().with_context("fail");
  if (!*moved) return lost("fail", delivery);
  (void)client_->ack(delivery.handle);
  drop_lease(delivery.handle);
  return outcome;
}

Status NatsQueue::release(const Delivery& delivery) {
  auto index = held(delivery, "release");
  if (!index) return index.error();
  Envelope released = delivery.envelope;
  released.attempt = std::max(released.attempt - 1, 0);
  auto moved = move_copy(released, names_.work_subject(released.platform), "queued", *index);
  if (!moved) return moved.error().with_context("release");
  if (!*moved) return lost("release", delivery);
  (void)client_->ack(delivery.handle);
  drop_lease(delivery.handle);
  return ok_status();
}

// ---- maintenance ----

Result<std::int64_t> NatsQueue::maintain() {
  auto promoted = promote();
  if (!promoted) return promoted.error().with_context("maintain");
  auto reclaimed = reclaim_own();
  if (!reclaimed) return reclaimed.error().with_context("maintain");
  return *promoted + *reclaimed;
}

Result<std::int64_t> NatsQueue::promote() {
  auto pulled = client_->fetch(names_.work_stream, names_.delayed_consumer, names_.delayed_filter,
                               "maintain", kPromoteBatch, Millis(0));
  if (!pulled) return pulled.error();
  std::int64_t moved = 0;
  for (const auto& retry : *pulled) {
    const long long due = std::atoll(retry.message.header(kDueHeader).c_str());
    const long long left = due - now_ms();
    if (left > 0) {
      (void)client_->nak_after(retry.handle, Millis(left));
      continue;
    }
    auto envelope = event::parse_envelope(retry.message.data);
    if (!envelope) {
      log_->error("{} #{} is not a valid envelope; dropping it", names_.work_stream,
                  retry.message.seq);
      (void)client_->term(retry.handle);
      continue;
    }
    auto index = read_index(envelope->id);
    if (!index) return index.error();
    if (*index && (*index)->record.seq < retry.message.seq) {  // not indexed yet (see take())
      (void)client_->nak_after(retry.handle, kUnindexedRetry);
      continue;
    }
    if (*index && (*index)->record.state == "retrying" && (*index)->record.seq == retry.message.seq) {
      auto copied = move_copy(*envelope, names_.work_subject(envelope->platform), "queued", **index);
      if (!copied) return copied.error();
      if (*copied) ++moved;
    }
    (void)client_->ack(retry.handle);
  }
  return moved;
}

Result<std::int64_t> NatsQueue::reclaim_own() {
  std::vector<std::pair<std::string, Lease>> expired;
  {
    std::lock_guard lock(leases_mu_);
    const auto now = SteadyClock::now();
    for (auto it = leases_.begin(); it != leases_.end();) {
      if (it->second.deadline > now) {
        ++it;
        continue;
      }
      expired.emplace_back(it->first, std::move(it->second));
      it = leases_.erase(it);
    }
  }
  std::int64_t moved = 0;
  for (auto& [handle, lease] : expired) {
    auto index = read_index(lease.envelope.id);
    if (!index) return index.error();
    if (!*index || (*index)->record.state != "running" || (*index)->record.handle != handle) {
      client_->forget(handle);
      continue;
    }
    auto done = expire(lease.envelope, **index, lease.consumer);
    if (!done) return done.error();
    if (*done) {
      ++moved;
      (void)client_->ack(handle);
    } else {
      client_->forget(handle);
    }
  }
  return moved;
}

// ---- what operators see ----

Result<QueueStats> NatsQueue::stats() {
  auto work = client_->consumer_counts(names_.work_stream, names_.consumer);
  if (!work) return work.error().with_context("stats");
  auto delayed = client_->consumer_counts(names_.work_stream, names_.delayed_consumer);
  if (!delayed) return delayed.error().with_context("stats");
  auto dlq = client_->stream_counts(names_.dlq_stream);
  if (!dlq) return dlq.error().with_context("stats");
  auto results = client_->stream_counts(names_.results_stream);
  if (!results) return results.error().with_context("stats");
  QueueStats stats;
  stats.depth = work->undelivered;
  stats.pending = work->ack_pending;
  stats.delayed = delayed->undelivered + delayed->ack_pending;
  stats.dlq = static_cast<std::int64_t>(dlq->msgs);
  stats.results = static_cast<std::int64_t>(results->msgs);
  // One durable pull consumer serves every worker: the server knows no worker names.
  stats.consumers_known = false;
  stats.names = {{"stream", names_.work_stream},      {"consumer", names_.consumer},
                 {"delayed_consumer", names_.delayed_consumer},
                 {"dlq", names_.dlq_stream},          {"results", names_.results_stream},
                 {"index_bucket", names_.index_bucket}, {"dedup_bucket", names_.dedup_bucket},
                 {"state_bucket", names_.state_bucket}};
  if (stats.depth > 0) {
    auto next = client_->next_matching(names_.work_stream, work->delivered_stream_seq + 1,
                                       names_.work_filter);
    if (!next) return next.error().with_context("stats");
    if (*next && (*next)->time_ms > 0) {
      stats.oldest_waiting_ms = std::max<std::int64_t>(now_ms() - (*next)->time_ms, 0);
    }
  }
  return stats;
}

Result<std::vector<Envelope>> NatsQueue::dead_letters(std::size_t limit) {
  auto counts = client_->stream_counts(names_.dlq_stream);
  if (!counts) return counts.error().with_context("dead_letters");
  std::vector<Envelope> newest_first;
  for (std::uint64_t seq = counts->last_seq;
       seq >= counts->first_seq && seq > 0 && newest_first.size() < limit; --seq) {
    auto message = client_->get(names_.dlq_stream, seq);
    if (!message) return message.error().with_context("dead_letters");
    if (!*message) continue;  // replaced by a later dead letter of the same event, or replayed
    auto parsed = event::parse_envelope((*message)->data);
    if (!parsed) {
      log_->warn("dead letter #{} is not a valid envelope: {}", seq, parsed.error().message());
      continue;
    }
    newest_first.push_back(std::move(*parsed));
  }
  return std::vector<Envelope>(newest_first.rbegin(), newest_first.rend());
}

Result<EventRecord> NatsQueue::find_event(const std::string& id) {
  for (int attempt = 1;; ++attempt) {
    bool moved = false;
    auto record = find_once(id, moved);
    if (!record) return record.error().with_context("find_event");
    if (*record) return std::move(**record);
    if (!moved || attempt == 5) {
      return Error(ErrorCode::kNotFound, "no event with event id or delivery id " + id);
    }
  }
}

// One lookup by event id, then by delivery id. `moved`: the index named a copy that was gone
// when read (a worker settled it between our reads), so the caller looks again.
Result<std::optional<EventRecord>> NatsQueue::find_once(const std::string& id, bool& moved) {
  std::string event_id = id;
  for (int by_delivery = 0; by_delivery < 2; ++by_delivery) {
    auto index = read_index(event_id);
    if (!index) return index.error();
    const bool finished = *index && ((*index)->record.state == "done" ||
                                     (*index)->record.state == "dead");
    if (*index && !finished) {
      auto copy = client_->get(names_.work_stream, (*index)->record.seq);
      if (!copy) return copy.error();
      auto envelope = *copy ? event::parse_envelope((**copy).data) : Result<Envelope>(Error(
                                                                         ErrorCode::kNotFound, ""));
      if (!envelope) {
        moved = true;
        return std::optional<EventRecord>();
      }
      EventRecord record;
      const std::string& state = (*index)->record.state;
      record.state = state == "running"    ? EventState::kRunning
                     : state == "retrying" ? EventState::kRetrying
                                           : EventState::kWaiting;
      record.envelope = std::move(*envelope);
      if (record.state == EventState::kRunning) record.envelope.attempt += 1;
      return std::optional<EventRecord>(std::move(record));
    }
    auto result = client_->get_last(names_.results_stream, names_.result_subject(event_id));
    if (!result) return result.error();
    if (*result) {
      const auto json = nlohmann::json::parse((**result).data, nullptr, false);
      auto envelope = json.is_object() && json.contains("envelope")
                          ? event::from_json_value(json["envelope"])
                          : Result<Envelope>(Error(ErrorCode::kInternal, "no envelope"));
      if (!envelope) return envelope.error().with_context("the stored result of " + event_id);
      EventRecord record{EventState::kDone, std::move(*envelope), json.contains("result") ? json["result"].dump() : "null",
                         json.value("finished_at", "")};
      return std::optional<EventRecord>(std::move(record));
    }
    auto dead = client_->get_last(names_.dlq_stream, names_.dead_subject(event_id));
    if (!dead) return dead.error();
    if (*dead) {
      auto envelope = event::parse_envelope((**dead).data);
      if (!envelope) return envelope.error().with_context("the dead letter of " + event_id);
      return std::optional<EventRecord>(
          EventRecord{EventState::kDead, std::move(*envelope), "", (**dead).header(kFinishedHeader)});
    }
    if (finished) {
      moved = true;  // marked finished, not stored yet
      return std::optional<EventRecord>();
    }
    if (by_delivery == 1) break;
    auto mapped = client_->kv_get(names_.dedup_bucket, "dl." + encode_token(id));
    if (!mapped) return mapped.error();
    const auto target = live_payload(*mapped);
    if (!target) break;
    event_id = *target;
  }
  return std::optional<EventRecord>();
}

Result<NatsMessage> NatsQueue::dead_letter_of(const std::string& id) {
  const Error not_dead(ErrorCode::kNotFound, "no dead letter with event id " + id);
  auto index = read_index(id);
  if (!index) return index.error();
  if (*index && (*index)->record.state != "dead") return not_dead;
  auto dead = client_->get_last(names_.dlq_stream, names_.dead_subject(id));
  if (!dead) return dead.error();
  if (!*dead) return not_dead;
  return std::move(**dead);
}

// Not one atomic step as on Redis: the new generation is published first (the publish path
// then removes the older generation's dead letter, see on_published), so a crash in between
// leaves a stale dead letter that a second replay refuses (the index names the newer
// generation). Two operators replaying at once publish the same Nats-Msg-Id: one is a
// duplicate and is told so.
Result<ReplayOutcome> NatsQueue::replay(const ReplayRequest& request) {
  const std::string& id = request.event_id;
  auto dead = dead_letter_of(id);
  if (!dead) return dead.error().with_context("replay");
  auto envelope = event::parse_envelope(dead->data);
  if (!envelope) {
    return envelope.error().with_context("replay: dead letter " + id +
                                         " is not a valid envelope (purge it instead)");
  }
  auto next = replayed_envelope(*envelope, request, SystemClock::instance().now());
  if (!next) return next.error();
  const int generation = next->generation;
  auto receipt = publish(std::move(*next)).get();
  if (!receipt) return receipt.error().with_context("replay");
  if (receipt->status == PublishStatus::kDuplicate) {
    return Error(ErrorCode::kNotFound, "replay: event " + id +
                                           " stopped being a dead letter meanwhile (replayed by "
                                           "someone else)");
  }
  return ReplayOutcome{id, generation};
}

Status NatsQueue::purge_dead_letter(const std::string& event_id) {
  auto dead = dead_letter_of(event_id);
  if (!dead) return dead.error().with_context("purge");
  if (auto purged = client_->purge(names_.dlq_stream, names_.dead_subject(event_id)); !purged) {
    return purged.error().with_context("purge");
  }
  // A finish() whose index removal failed leaves a "dead" record behind; it goes too.
  auto index = read_index(event_id);
  if (!index) return index.error().with_context("purge");
  if (*index) {
    if (auto removed = client_->kv_purge(names_.index_bucket, index_key(event_id)); !removed) {
      return removed.error().with_context("purge");
    }
  }
  return ok_status();
}

std::vector<std::string> NatsQueue::durability_warnings() {
  auto counts = client_->stream_counts(names_.work_stream);
  if (!counts) {
    return {"could not read stream " + names_.work_stream + " (" + counts.error().message() +
            "); make sure it uses file storage, or accepted events are lost when nats-server "
            "restarts"};
  }
  if (counts->memory_storage) {
    return {"stream " + names_.work_stream + " on nats at " + client_->endpoint().address() +
            " uses memory storage: accepted events are lost when nats-server restarts; "
            "recreate it with file storage (delete the stream; aof-scale creates it with file "
            "storage)"};
  }
  return {};
}

}  // namespace

std::shared_ptr<Queue> make_nats_queue(const config::QueueConfig& config,
                                       std::shared_ptr<NatsClient> client, Jitter jitter) {
  return std::make_shared<NatsQueue>(config, std::move(client), std::move(jitter));
}

}  // namespace aof::queue
