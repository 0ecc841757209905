// The embedded queue (memory.h): the reference behaviour of the delivery contract in queue.h.
//
// Every event lives in records_ from publish until retention trims it; its state says which
// one index holds it: waiting_ (FIFO), leases_ (by deadline), delayed_ (by due time),
// results_ or dead_ (by completion, oldest first).
//
// Decisions the contract leaves open, taken here and expected of every backend:
// * An expired lease counts as a failed attempt but goes back to waiting at once (at the
//   back), with no backoff: the worker died, the event did not fail, so there is nothing to
//   back off from.
// * A lease past its deadline is lost only when maintain() (run by every fetch) reclaims it;
//   until then its holder may still ack, fail, extend or release it, as on Redis and JetStream.
// * release() puts the event at the front (it was next in line) and un-counts the attempt.
// * A publish of an id already known with the same or a higher generation is a duplicate
//   (the spool forwards idempotently by event id); a higher generation (an operator replay)
//   replaces the old record, taking it out of the dead letters. Dedup keys apply to
//   generation 0 only: they catch provider redeliveries, and a replay is deliberate.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "common/queue/memory.h"
#include "common/queue/replay.h"

namespace aof::queue {
namespace {

using event::Envelope;
using SteadyClock = std::chrono::steady_clock;

// The longest fetch() blocks, so a caller's "forever" cannot overflow a steady-clock deadline.
constexpr Millis kMaxWait = std::chrono::hours(24);

struct Record {
  EventState state = EventState::kWaiting;
  Envelope envelope;         // attempt and history are kept current here
  std::string result_json;   // kDone
  std::string finished_at;   // kDone, kDead
  std::string consumer;      // kRunning: lease holder
  std::string handle;        // kRunning: fresh per lease, so old handles go stale
  TimePoint lease_deadline;  // kRunning
  TimePoint due;             // kRetrying
  TimePoint waiting_since;   // kWaiting
};

using TimeIndex = std::set<std::pair<TimePoint, std::string>>;  // (time, event id)

class MemoryQueue final : public Queue {
 public:
  MemoryQueue(const config::QueueConfig& config, Clock& clock, Jitter jitter)
      : clock_(clock),
        jitter_(std::move(jitter)),
        policy_(retry_policy_of(config)),
        lease_(config.lease_ms),
        dedup_window_(std::chrono::seconds(config.dedup_window_secs)),
        results_max_(std::max<std::int64_t>(config.retention.results_max, 0)),
        dlq_max_(std::max<std::int64_t>(config.retention.dlq_max, 0)),
        queue_max_(config.retention.queue_max > 0 ? config.retention.queue_max
                                                  : std::numeric_limits<std::int64_t>::max()) {}

  std::future<Result<PublishReceipt>> publish(Envelope envelope) override {
    std::promise<Result<PublishReceipt>> promise;
    promise.set_value(publish_now(std::move(envelope)));
    return promise.get_future();
  }

  bool publishes_without_blocking() const override { return true; }

  void publish_async(const Envelope& envelope, PublishCallback done) override {
    done(publish_now(envelope));
  }

  Result<std::vector<Delivery>> fetch(const std::string& consumer, std::size_t max,
                                      Millis wait) override {
    if (consumer.empty()) {
      return Error(ErrorCode::kInvalidArgument, "fetch: consumer must not be empty");
    }
    const auto give_up = SteadyClock::now() + std::clamp(wait, Millis(0), kMaxWait);
    std::unique_lock lock(mu_);
    consumer_seen_[consumer] = clock_.now();
    while (true) {
      maintain_locked(clock_.now());
      if (!waiting_.empty() || max == 0) break;
      const auto left = std::chrono::duration_cast<Millis>(give_up - SteadyClock::now());
      if (left <= Millis(0)) break;
      // Wake for a publish/release/retry (notified) or when the next timer is due.
      cv_.wait_for(lock, std::min(left, until_next_timer_locked()));
    }
    return lease_locked(consumer, max);
  }

  Status extend(const Delivery& delivery) override {
    std::lock_guard lock(mu_);
    auto held = held_locked(delivery, "extend");
    if (!held) return held.error();
    Record& record = **held;
    leases_.erase({record.lease_deadline, delivery.envelope.id});
    record.lease_deadline = clock_.now() + lease_;
    leases_.insert({record.lease_deadline, delivery.envelope.id});
    return ok_status();
  }

  Status ack(const Delivery& delivery, const nlohmann::json& result) override {
    std::lock_guard lock(mu_);
    auto held = held_locked(delivery, "ack");
    if (!held) return held.error();
    Record& record = **held;
    drop_lease_locked(delivery.envelope.id, record);
    record.state = EventState::kDone;
    record.envelope.body.clear();  // results keep the history, not the (large) payload
    record.result_json = result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    record.finished_at = to_rfc3339(clock_.now());
    results_.push_back(delivery.envelope.id);
    trim_locked(results_, results_max_);
    return ok_status();
  }

  Result<FailOutcome> fail(const Delivery& delivery, const Failure& failure) override {
    std::lock_guard lock(mu_);
    auto held = held_locked(delivery, "fail");
    if (!held) return held.error();
    Record& record = **held;
    const TimePoint now = clock_.now();
    const int attempt = record.envelope.attempt;
    event::append_history(record.envelope, {attempt, record.consumer, to_rfc3339(now),
                                            to_string(failure.code), failure.message});
    drop_lease_locked(delivery.envelope.id, record);
    if (failure.permanent || !is_retryable(failure.code) || !may_retry(policy_, attempt)) {
      dead_letter_locked(delivery.envelope.id, record, now);
      return FailOutcome{Disposition::kDeadLettered, Millis(0)};
    }
    // The n-th failure waits for retry n (jitter_ runs under mu_: it must not call back in).
    const Millis delay = backoff_delay(policy_, attempt, jitter_);
    record.state = EventState::kRetrying;
    record.due = now + delay;
    delayed_.insert({record.due, delivery.envelope.id});
    return FailOutcome{Disposition::kRetryScheduled, delay};
  }

  Status release(const Delivery& delivery) override {
    {
      std::lock_guard lock(mu_);
      auto held = held_locked(delivery, "release");
      if (!held) return held.error();
      Record& record = **held;
      drop_lease_locked(delivery.envelope.id, record);
      record.envelope.attempt = std::max(record.envelope.attempt - 1, 0);
      record.state = EventState::kWaiting;
      record.waiting_since = clock_.now();
      waiting_.push_front(delivery.envelope.id);
    }
    cv_.notify_all();
    return ok_status();
  }

  Result<std::int64_t> maintain() override {
    std::int64_t moved = 0;
    {
      std::lock_guard lock(mu_);
      moved = maintain_locked(clock_.now());
    }
    if (moved > 0) cv_.notify_all();
    return moved;
  }

  Result<QueueStats> stats() override {
    std::lock_guard lock(mu_);
    QueueStats stats;
    stats.depth = static_cast<std::int64_t>(waiting_.size());
    stats.pending = static_cast<std::int64_t>(leases_.size());
    stats.delayed = static_cast<std::int64_t>(delayed_.size());
    stats.dlq = static_cast<std::int64_t>(dead_.size());
    stats.results = static_cast<std::int64_t>(results_.size());
    if (!waiting_.empty()) stats.oldest_waiting_ms = oldest_waiting_ms_locked();
    stats.consumers = consumers_locked();
    return stats;
  }

  Result<ReplayOutcome> replay(const ReplayRequest& request) override {
    auto outcome = replay_now(request);
    if (outcome) cv_.notify_all();
    return outcome;
  }

  Status purge_dead_letter(const std::string& event_id) override {
    std::lock_guard lock(mu_);
    const auto it = records_.find(event_id);
    if (it == records_.end() || it->second.state != EventState::kDead) {
      return not_dead_letter(event_id);
    }
    forget_older_generation_locked(event_id);
    return ok_status();
  }

  Result<std::vector<Envelope>> dead_letters(std::size_t limit) override {
    std::lock_guard lock(mu_);
    const std::size_t skip = dead_.size() > limit ? dead_.size() - limit : 0;
    std::vector<Envelope> out;
    for (auto it = dead_.begin() + static_cast<std::ptrdiff_t>(skip); it != dead_.end(); ++it) {
      out.push_back(records_.at(*it).envelope);
    }
    return out;
  }

  Result<EventRecord> find_event(const std::string& id) override {
    std::lock_guard lock(mu_);
    auto it = records_.find(id);
    if (it == records_.end()) {
      const auto by_delivery = by_delivery_.find(id);
      if (by_delivery != by_delivery_.end()) it = records_.find(by_delivery->second);
    }
    if (it == records_.end()) {
      return Error(ErrorCode::kNotFound, "no event with event id or delivery id " + id);
    }
    const Record& r = it->second;
    return EventRecord{r.state, r.envelope, r.result_json, r.finished_at};
  }

  const char* backend() const override { return "memory"; }

  std::vector<std::string> durability_warnings() override {
    return {"queue.type memory keeps accepted events inside this process only: they are lost "
            "when it exits or crashes; set queue.type to redis or nats for durability"};
  }

 private:
  Result<PublishReceipt> publish_now(Envelope envelope) {
    if (auto valid = event::validate_envelope(envelope); !valid) {
      return valid.error().with_context("publish");
    }
    const std::string id = envelope.id;
    {
      std::lock_guard lock(mu_);
      const TimePoint now = clock_.now();
      if (known_locked(envelope)) return PublishReceipt{PublishStatus::kDuplicate, id};
      if (unfinished_locked() >= queue_max_) {
        return Error(ErrorCode::kResourceExhausted,
                     "publish: the queue is full: " + std::to_string(queue_max_) +
                         " events are already queued (queue.retention.queue_max); add workers, "
                         "or raise queue.retention.queue_max");
      }
      // Dedup catches provider redeliveries (generation 0); a replay is deliberate.
      if (envelope.generation == 0 && !take_dedup_key_locked(envelope.dedup_key, now)) {
        return PublishReceipt{PublishStatus::kDuplicate, id};
      }
      forget_older_generation_locked(id);
      enqueue_locked(std::move(envelope), now);
    }
    cv_.notify_all();
    return PublishReceipt{PublishStatus::kAccepted, id};
  }

  std::int64_t unfinished_locked() const {
    return static_cast<std::int64_t>(waiting_.size() + leases_.size() + delayed_.size());
  }

  // Whether this id was published before at this or a later generation.
  bool known_locked(const Envelope& envelope) const {
    const auto it = records_.find(envelope.id);
    return it != records_.end() && it->second.envelope.generation >= envelope.generation;
  }

  // A replay (a newer generation) takes the place of the old record, wherever it is.
  void forget_older_generation_locked(const std::string& id) {
    const auto it = records_.find(id);
    if (it == records_.end()) return;
    unindex_locked(id, it->second);
    forget_locked(id);
  }

  // Records `key` for the dedup window; false if it is already there (a duplicate).
  bool take_dedup_key_locked(const std::string& key, TimePoint now) {
    while (!dedup_expiry_.empty() && dedup_expiry_.front().first <= now) {
      const auto& [expiry, old_key] = dedup_expiry_.front();
      const auto it = dedup_.find(old_key);
      if (it != dedup_.end() && it->second == expiry) dedup_.erase(it);
      dedup_expiry_.pop_front();
    }
    if (key.empty() || dedup_window_.count() <= 0) return true;
    const auto it = dedup_.find(key);
    if (it != dedup_.end() && it->second > now) return false;
    dedup_[key] = now + dedup_window_;
    dedup_expiry_.emplace_back(now + dedup_window_, key);
    return true;
  }

  void enqueue_locked(Envelope envelope, TimePoint now) {
    const std::string id = envelope.id;
    if (!envelope.delivery_id.empty()) by_delivery_[envelope.delivery_id] = id;
    Record record;
    record.envelope = std::move(envelope);
    record.waiting_since = now;
    records_[id] = std::move(record);
    waiting_.push_back(id);
  }

  std::vector<Delivery> lease_locked(const std::string& consumer, std::size_t max) {
    std::vector<Delivery> out;
    const TimePoint now = clock_.now();
    while (out.size() < max && !waiting_.empty()) {
      const std::string id = std::move(waiting_.front());
      waiting_.pop_front();
      Record& record = records_.at(id);
      record.state = EventState::kRunning;
      record.envelope.attempt += 1;
      record.consumer = consumer;
      record.handle = std::to_string(++next_handle_);
      record.lease_deadline = now + lease_;
      leases_.insert({record.lease_deadline, id});
      out.push_back(Delivery{record.envelope, consumer, record.handle});
    }
    return out;
  }

  // The record `delivery` still holds a lease on, or kNotFound: a lost lease or a delivery
  // already settled must change nothing.
  Result<Record*> held_locked(const Delivery& delivery, const char* operation) {
    consumer_seen_[delivery.consumer] = clock_.now();
    const auto it = records_.find(delivery.envelope.id);
    if (it == records_.end() || it->second.state != EventState::kRunning ||
        it->second.handle != delivery.handle) {
      return Error(ErrorCode::kNotFound, std::string(operation) + ": event " +
                                             delivery.envelope.id +
                                             " is not leased under this delivery (lease lost "
                                             "or already settled)");
    }
    return &it->second;
  }

  void drop_lease_locked(const std::string& id, Record& record) {
    leases_.erase({record.lease_deadline, id});
    record.handle.clear();
  }

  std::int64_t maintain_locked(TimePoint now) {
    std::int64_t moved = 0;
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
      const std::string id = delayed_.begin()->second;
      delayed_.erase(delayed_.begin());
      make_waiting_locked(id, records_.at(id), now);
      ++moved;
    }
    while (!leases_.empty() && leases_.begin()->first <= now) {
      const std::string id = leases_.begin()->second;
      expire_lease_locked(id, records_.at(id), now);
      ++moved;
    }
    return moved;
  }

  // A lease ran out: the holder is presumed dead. Counts as a failed attempt.
  void expire_lease_locked(const std::string& id, Record& record, TimePoint now) {
    const int attempt = record.envelope.attempt;
    event::append_history(record.envelope,
                          {attempt, record.consumer, to_rfc3339(now), "lease_expired",
                           "lease of " + std::to_string(lease_.count()) + " ms expired"});
    drop_lease_locked(id, record);
    if (may_retry(policy_, attempt)) {
      make_waiting_locked(id, record, now);
    } else {
      dead_letter_locked(id, record, now);
    }
  }

  void make_waiting_locked(const std::string& id, Record& record, TimePoint now) {
    record.state = EventState::kWaiting;
    record.waiting_since = now;
    waiting_.push_back(id);
  }

  void dead_letter_locked(const std::string& id, Record& record, TimePoint now) {
    record.state = EventState::kDead;
    record.finished_at = to_rfc3339(now);
    dead_.push_back(id);
    trim_locked(dead_, dlq_max_);
  }

  // Drops the oldest entries of `order` (results_ or dead_) beyond `max`.
  void trim_locked(std::deque<std::string>& order, std::int64_t max) {
    while (static_cast<std::int64_t>(order.size()) > max) {
      forget_locked(order.front());
      order.pop_front();
    }
  }

  // Removes `id` from the one index its state puts it in (not from records_).
  void unindex_locked(const std::string& id, const Record& record) {
    switch (record.state) {
      case EventState::kWaiting:
        std::erase(waiting_, id);
        break;
      case EventState::kRunning:
        leases_.erase({record.lease_deadline, id});
        break;
      case EventState::kRetrying:
        delayed_.erase({record.due, id});
        break;
      case EventState::kDone:
        std::erase(results_, id);
        break;
      case EventState::kDead:
        std::erase(dead_, id);
        break;
    }
  }

  void forget_locked(const std::string& id) {
    const auto it = records_.find(id);
    if (it == records_.end()) return;
    const std::string& delivery_id = it->second.envelope.delivery_id;
    const auto by_delivery = by_delivery_.find(delivery_id);
    if (by_delivery != by_delivery_.end() && by_delivery->second == id) {
      by_delivery_.erase(by_delivery);
    }
    records_.erase(it);
  }

  // Real time to sleep until the next delayed event or lease deadline is due, per `clock_`
  // (at least 1 ms so a clock that does not move cannot make fetch() spin).
  Millis until_next_timer_locked() const {
    std::optional<TimePoint> next;
    if (!delayed_.empty()) next = delayed_.begin()->first;
    if (!leases_.empty() && (!next || leases_.begin()->first < *next)) {
      next = leases_.begin()->first;
    }
    if (!next) return kMaxWait;
    const auto left = std::chrono::duration_cast<Millis>(*next - clock_.now());
    return std::clamp(left, Millis(1), kMaxWait);
  }

  Result<ReplayOutcome> replay_now(const ReplayRequest& request) {
    std::lock_guard lock(mu_);
    const auto it = records_.find(request.event_id);
    if (it == records_.end() || it->second.state != EventState::kDead) {
      return not_dead_letter(request.event_id);
    }
    auto next = replayed_envelope(it->second.envelope, request, clock_.now());
    if (!next) return next.error();
    const int generation = next->generation;
    forget_older_generation_locked(request.event_id);
    enqueue_locked(std::move(*next), clock_.now());
    return ReplayOutcome{request.event_id, generation};
  }

  static Error not_dead_letter(const std::string& id) {
    return Error(ErrorCode::kNotFound, "no dead letter with event id " + id);
  }

  std::vector<ConsumerStats> consumers_locked() const {
    std::map<std::string, std::int64_t> pending;
    for (const auto& [deadline, id] : leases_) ++pending[records_.at(id).consumer];
    std::vector<ConsumerStats> out;
    for (const auto& [name, seen] : consumer_seen_) {
      const auto idle = std::chrono::duration_cast<Millis>(clock_.now() - seen).count();
      const auto held = pending.find(name);
      out.push_back({name, held == pending.end() ? 0 : held->second,
                     std::max<std::int64_t>(idle, 0)});
    }
    return out;
  }

  std::int64_t oldest_waiting_ms_locked() const {
    TimePoint oldest = TimePoint::max();
    for (const auto& id : waiting_) oldest = std::min(oldest, records_.at(id).waiting_since);
    const auto age = std::chrono::duration_cast<Millis>(clock_.now() - oldest).count();
    return std::max<std::int64_t>(age, 0);
  }

  Clock& clock_;
  const Jitter jitter_;
  const RetryPolicy policy_;
  const Millis lease_;
  const Millis dedup_window_;
  const std::int64_t results_max_;
  const std::int64_t dlq_max_;
  const std::int64_t queue_max_;

  // mu_ guards every member below; cv_ is notified whenever waiting_ may have grown.
  std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<std::string, Record> records_;             // by event id, every state
  std::unordered_map<std::string, std::string> by_delivery_;    // delivery id → event id
  std::deque<std::string> waiting_;                             // kWaiting, fetch order
  TimeIndex leases_;                                            // kRunning, by lease deadline
  TimeIndex delayed_;                                           // kRetrying, by due time
  std::deque<std::string> results_;                             // kDone, oldest first
  std::deque<std::string> dead_;                                // kDead, oldest first
  std::unordered_map<std::string, TimePoint> dedup_;            // dedup key → expiry
  std::deque<std::pair<TimePoint, std::string>> dedup_expiry_;  // (expiry, key), oldest first
  std::uint64_t next_handle_ = 0;
  std::map<std::string, TimePoint> consumer_seen_;              // consumer → last call
};

}  // namespace

std::shared_ptr<Queue> make_memory_queue(const config::QueueConfig& config, Clock& clock,
                                         Jitter jitter) {
  return std::make_shared<MemoryQueue>(config, clock, std::move(jitter));
}

}  // namespace aof::queue
