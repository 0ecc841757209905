// The Redis Streams queue (redis_broker.h has the layout). Each transition is one Lua script
// (redis_scripts.h); this file builds the envelopes those scripts store, because only C++
// may rewrite JSON, and maps replies back to the contract of queue.h.
//
// Differences from the memory queue, all allowed by the contract:
// * release() and an expired lease put the event at the back of the stream (a stream only
//   appends), not at the front.
// * Due times of retries and lease idle times are measured on the Redis server's clock, so
//   every worker agrees on them.
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/base/ids.h"
#include "common/base/log.h"
#include "common/queue/redis/redis_keys.h"
#include "common/queue/redis/redis_publisher.h"
#include "common/queue/redis/redis_queue.h"
#include "common/queue/redis/redis_scripts.h"
#include "common/queue/replay.h"

namespace aof::queue {
namespace {

using event::Envelope;
namespace scripts = redis_scripts;

// The longest one XREADGROUP blocks: bounds how late a due retry or an expired lease is
// noticed by an idle fetch.
constexpr Millis kMaxBlock{1000};
constexpr Millis kMaxWait = std::chrono::hours(24);
// Expired leases handled per maintain() pass.
constexpr int kReclaimBatch = 64;

// The value of `name` in a stream entry's flat field list.
const std::string* field(const RedisReply& fields, std::string_view name) {
  for (std::size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    if (fields.elements[i].str == name) return &fields.elements[i + 1].str;
  }
  return nullptr;
}

// Parses the "state|generation|location" index value.
struct IndexValue {
  std::string state;
  std::string generation;
  std::string location;
};
std::optional<IndexValue> parse_index(const std::string& text) {
  const auto first = text.find('|');
  const auto second = first == std::string::npos ? first : text.find('|', first + 1);
  if (second == std::string::npos) return std::nullopt;
  return IndexValue{text.substr(0, first), text.substr(first + 1, second - first - 1),
                    text.substr(second + 1)};
}

std::string compact(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Error lost(const char* operation, const Delivery& delivery) {
  return Error(ErrorCode::kNotFound,
               std::string(operation) + ": event " + delivery.envelope.id +
                   " is not leased under this delivery (lease lost or already settled)");
}

bool is_nogroup(const Error& error) {
  return error.message().find("NOGROUP") != std::string::npos;
}

// How long dedup and delivery-id keys live, in ms (Redis's PX argument).
std::string dedup_ttl_ms(const config::QueueConfig& config) {
  return std::to_string(std::max<std::int64_t>(config.dedup_window_secs, 0) * 1000);
}

scripts::PublishTarget publish_target(const config::QueueConfig& config, const RedisKeys& keys) {
  return {keys.stream,
          keys.delayed,
          keys.delayed_env,
          keys.dlq,
          keys.results,
          keys.group,
          dedup_ttl_ms(config),
          std::to_string(std::max<std::int64_t>(config.retention.queue_max, 0))};
}

class RedisQueue final : public Queue {
 public:
  RedisQueue(const config::QueueConfig& config, std::shared_ptr<RedisPool> pool, Jitter jitter)
      : config_(config),
        keys_(config),
        pool_(std::move(pool)),
        publisher_(pool_->endpoint(), publish_target(config, keys_)),
        jitter_(std::move(jitter)),
        policy_(retry_policy_of(config)),
        dedup_ttl_ms_(dedup_ttl_ms(config)),
        lease_ms_(std::to_string(config.lease_ms)),
        results_max_(std::to_string(std::max<std::int64_t>(config.retention.results_max, 0))),
        dlq_max_(std::to_string(std::max<std::int64_t>(config.retention.dlq_max, 0))),
        log_(log::get(log::Component::kQueue)) {}

  std::future<Result<PublishReceipt>> publish(Envelope envelope) override {
    return publish_kept(envelope);
  }

  // Reads the envelope before returning (it is serialized into the call).
  std::future<Result<PublishReceipt>> publish_kept(const Envelope& envelope) override {
    auto promise = std::make_shared<std::promise<Result<PublishReceipt>>>();
    auto future = promise->get_future();
    submit_publish(envelope, RedisPublisher::Lead::kMayLead,
                   [promise](Result<PublishReceipt> receipt) {
                     promise->set_value(std::move(receipt));
                   });
    return future;
  }

  bool publishes_without_blocking() const override { return true; }

  // The round trip is always sent by the publisher's flusher thread, never by the caller.
  void publish_async(const Envelope& envelope, PublishCallback done) override {
    submit_publish(envelope, RedisPublisher::Lead::kNever, std::move(done));
  }

  Result<std::vector<Delivery>> fetch(const std::string& consumer, std::size_t max,
                                      Millis wait) override {
    if (consumer.empty()) {
      return Error(ErrorCode::kInvalidArgument, "fetch: consumer must not be empty");
    }
    const auto give_up =
        std::chrono::steady_clock::now() + std::clamp(wait, Millis(0), kMaxWait);
    while (true) {
      auto next_due = maintain_pass();
      if (!next_due) return next_due.error().with_context("fetch");
      if (max == 0) return std::vector<Delivery>{};
      const auto left = std::chrono::duration_cast<Millis>(give_up -
                                                           std::chrono::steady_clock::now());
      Millis block = std::clamp(left, Millis(0), kMaxBlock);
      if (*next_due >= Millis(0)) block = std::min(block, std::max(*next_due, Millis(1)));
      auto read = read_group(consumer, max, block);
      if (!read) return read.error().with_context("fetch");
      if (!read->empty() || left <= Millis(0)) return read;
    }
  }

  Status extend(const Delivery& delivery) override {
    auto reply = run(scripts::extend(), {keys_.stream},
                     {keys_.group, delivery.consumer, delivery.handle});
    if (!reply) return reply.error().with_context("extend");
    if (reply->integer != 1) return lost("extend", delivery);
    return ok_status();
  }

  Status ack(const Delivery& delivery, const nlohmann::json& result) override {
    Envelope finished = delivery.envelope;
    finished.body.clear();  // results keep the history, not the (large) payload
    const std::string generation = std::to_string(finished.generation);
    auto reply = run(scripts::ack(), {keys_.stream, keys_.index(finished.id), keys_.results},
                     {keys_.group, delivery.consumer, delivery.handle, finished.id,
                      event::to_json(finished), compact(result), to_rfc3339(now()),
                      results_max_, generation, keys_.index_prefix});
    if (!reply) return reply.error().with_context("ack");
    if (reply->integer != 1) return lost("ack", delivery);
    return ok_status();
  }

  Result<FailOutcome> fail(const Delivery& delivery, const Failure& failure) override {
    Envelope failed = delivery.envelope;
    const int attempt = failed.attempt;
    event::append_history(failed, {attempt, delivery.consumer, to_rfc3339(now()),
                                   to_string(failure.code), failure.message});
    if (failure.permanent || !is_retryable(failure.code) || !may_retry(policy_, attempt)) {
      auto moved = dead_letter(delivery.handle, delivery.consumer, failed, "-1");
      if (!moved) return moved.error().with_context("fail");
      if (!*moved) return lost("fail", delivery);
      return FailOutcome{Disposition::kDeadLettered, Millis(0)};
    }
    const Millis delay = backoff_delay(policy_, attempt, jitter_);
    auto reply = run(scripts::retry(),
                     {keys_.stream, keys_.index(failed.id), keys_.delayed, keys_.delayed_env},
                     {keys_.group, delivery.consumer, delivery.handle, failed.id,
                      event::to_json(failed), std::to_string(delay.count()),
                      std::to_string(failed.generation)});
    if (!reply) return reply.error().with_context("fail");
    if (reply->integer != 1) return lost("fail", delivery);
    return FailOutcome{Disposition::kRetryScheduled, delay};
  }

  Status release(const Delivery& delivery) override {
    Envelope released = delivery.envelope;
    released.attempt = std::max(released.attempt - 1, 0);
    auto moved = requeue(delivery.handle, delivery.consumer, released, "-1");
    if (!moved) return moved.error().with_context("release");
    if (!*moved) return lost("release", delivery);
    return ok_status();
  }

  Result<std::int64_t> maintain() override {
    auto promoted = promote();
    if (!promoted) return promoted.error().with_context("maintain");
    auto reclaimed = reclaim_expired();
    if (!reclaimed) return reclaimed.error().with_context("maintain");
    return promoted->first + *reclaimed;
  }

  Result<QueueStats> stats() override;
  Result<std::vector<Envelope>> dead_letters(std::size_t limit) override;
  Result<EventRecord> find_event(const std::string& id) override;
  Result<ReplayOutcome> replay(const ReplayRequest& request) override;
  Status purge_dead_letter(const std::string& event_id) override;
  // One lookup; sets `moved` when the index named a place the event had already left (a
  // worker settled it between our reads), so the caller looks again.
  Result<EventRecord> find_event_once(const std::string& id, bool& moved);

  const char* backend() const override { return "redis"; }

  std::vector<std::string> durability_warnings() override;

 private:
  void submit_publish(const Envelope& envelope, RedisPublisher::Lead lead,
                      PublishCallback done) {
    if (auto valid = event::validate_envelope(envelope); !valid) {
      return done(valid.error().with_context("publish"));
    }
    scripts::PublishEvent event;
    event.use_dedup = !envelope.dedup_key.empty() && config_.dedup_window_secs > 0;
    event.use_delivery = !envelope.delivery_id.empty() && config_.dedup_window_secs > 0;
    event.envelope = event::to_json(envelope);
    event.generation = std::to_string(envelope.generation);
    event.index = keys_.index(envelope.id);
    event.dedup = keys_.dedup(envelope.dedup_key);
    event.delivery = keys_.delivery(envelope.delivery_id);
    event.id = envelope.id;
    publisher_.submit(std::move(event), lead,
                      [done = std::move(done), id = envelope.id](Result<RedisReply> reply) {
                        if (!reply) return done(reply.error());
                        const auto status = reply->str == "accepted" ? PublishStatus::kAccepted
                                                                     : PublishStatus::kDuplicate;
                        done(PublishReceipt{status, id});
                      });
  }

  TimePoint now() const { return SystemClock::instance().now(); }

  Result<RedisReply> run(const scripts::Script& script, const std::vector<std::string_view>& keys,
                         const std::vector<std::string_view>& args) {
    auto connection = pool_->acquire();
    if (!connection) return connection.error();
    return scripts::run(**connection, script, keys, args);
  }

  // Promotes due retries; {moved, time until the next one is due (-1: none)}.
  Result<std::pair<std::int64_t, Millis>> promote() {
    auto reply = run(scripts::promote(), {keys_.delayed, keys_.delayed_env, keys_.stream},
                     {"100", keys_.index_prefix});
    if (!reply) return reply.error();
    return std::make_pair(static_cast<std::int64_t>(reply->at(0).integer),
                          Millis(reply->at(1).integer));
  }

  // One maintain() pass for fetch: what is due moves, and how long until the next retry.
  Result<Millis> maintain_pass() {
    auto promoted = promote();
    if (!promoted) return promoted.error();
    auto reclaimed = reclaim_expired();
    if (!reclaimed) return reclaimed.error();
    return promoted->first > 0 ? Millis(0) : promoted->second;
  }

  Result<std::int64_t> reclaim_expired();
  // The index value ("dead|gen|entry") of dead letter `id`; kNotFound when it is not one.
  Result<std::string> dead_index(const std::string& id);
  Result<std::vector<ConsumerStats>> consumers(RedisConnection& redis);
  Result<std::vector<Delivery>> read_group(const std::string& consumer, std::size_t max,
                                           Millis block);
  Result<std::optional<Delivery>> to_delivery(const RedisReply& entry,
                                              const std::string& consumer);

  Result<bool> requeue(const std::string& entry, const std::string& consumer,
                       const Envelope& envelope, const std::string& min_idle) {
    auto reply = run(scripts::requeue(), {keys_.stream, keys_.index(envelope.id)},
                     {keys_.group, consumer, entry, event::to_json(envelope),
                      std::to_string(envelope.generation), min_idle});
    if (!reply) return reply.error();
    return reply->integer == 1;
  }

  Result<bool> dead_letter(const std::string& entry, const std::string& consumer,
                           const Envelope& envelope, const std::string& min_idle) {
    return dead_letter_raw(entry, consumer, envelope.id, event::to_json(envelope),
                           std::to_string(envelope.generation), min_idle);
  }

  Result<bool> dead_letter_raw(const std::string& entry, const std::string& consumer,
                               const std::string& id, const std::string& json,
                               const std::string& generation, const std::string& min_idle) {
    auto reply = run(scripts::dead(), {keys_.stream, keys_.index(id), keys_.dlq},
                     {keys_.group, consumer, entry, id, json, to_rfc3339(now()), dlq_max_,
                      generation, keys_.index_prefix, min_idle});
    if (!reply) return reply.error();
    return reply->integer == 1;
  }

  const config::QueueConfig config_;
  const RedisKeys keys_;
  std::shared_ptr<RedisPool> pool_;
  RedisPublisher publisher_;
  const Jitter jitter_;
  const RetryPolicy policy_;
  const std::string dedup_ttl_ms_;
  const std::string lease_ms_;
  const std::string results_max_;
  const std::string dlq_max_;
  std::shared_ptr<spdlog::logger> log_;
};

Result<std::int64_t> RedisQueue::reclaim_expired() {
  auto pending = pool_->command({"XPENDING", keys_.stream, keys_.group, "IDLE", lease_ms_, "-",
                                 "+", std::to_string(kReclaimBatch)});
  if (!pending) {
    if (!is_nogroup(pending.error())) return pending.error();
    auto connection = pool_->acquire();
    if (!connection) return connection.error();
    if (auto created = ensure_consumer_group(**connection, config_); !created) {
      return created.error();
    }
    return 0;
  }
  std::int64_t moved = 0;
  for (const auto& item : pending->elements) {
    const std::string& entry = item.at(0).str;
    const std::string& holder = item.at(1).str;
    auto range = pool_->command({"XRANGE", keys_.stream, entry, entry});
    if (!range) return range.error();
    const std::string* json = range->elements.empty() ? nullptr : field(range->at(0).at(1), "e");
    if (json == nullptr) continue;  // settled meanwhile
    auto stored = event::parse_envelope(*json);
    if (!stored) {
      auto moved_raw = dead_letter_raw(entry, holder, "corrupt-" + entry, *json, "0", lease_ms_);
      if (!moved_raw) return moved_raw.error();
      continue;
    }
    Envelope envelope = std::move(*stored);
    const int attempt = envelope.attempt + 1;  // the attempt whose lease ran out
    envelope.attempt = attempt;
    event::append_history(envelope, {attempt, holder, to_rfc3339(now()), "lease_expired",
                                     "lease of " + lease_ms_ + " ms expired"});
    auto done = may_retry(policy_, attempt) ? requeue(entry, holder, envelope, lease_ms_)
                                            : dead_letter(entry, holder, envelope, lease_ms_);
    if (!done) return done.error();
    if (*done) {
      ++moved;
      log_->warn("event_id={} attempt={} lease of {} expired after {} ms; {}", envelope.id,
                 attempt, holder, lease_ms_,
                 may_retry(policy_, attempt) ? "requeued" : "dead-lettered");
    }
  }
  return moved;
}

Result<std::optional<Delivery>> RedisQueue::to_delivery(const RedisReply& entry,
                                                        const std::string& consumer) {
  const std::string& entry_id = entry.at(0).str;
  const std::string* json = field(entry.at(1), "e");
  auto parsed = json != nullptr ? event::parse_envelope(*json)
                                : Result<Envelope>(Error(ErrorCode::kInvalidArgument, "no e"));
  if (!parsed) {
    // Not written by us or damaged: keep the bytes for an operator, never hand them out.
    log_->error("stream entry {} is not a valid envelope ({}); moving it to the dead letters",
                entry_id, parsed.error().message());
    auto moved = dead_letter_raw(entry_id, consumer, "corrupt-" + entry_id,
                                 json != nullptr ? *json : "", "0", "-1");
    if (!moved) return moved.error();
    return std::optional<Delivery>();
  }
  Delivery delivery{std::move(*parsed), consumer, entry_id};
  delivery.envelope.attempt += 1;
  return std::optional<Delivery>(std::move(delivery));
}

Result<std::vector<Delivery>> RedisQueue::read_group(const std::string& consumer,
                                                     std::size_t max, Millis block) {
  const std::string count = std::to_string(max);
  const std::string block_ms = std::to_string(block.count());
  std::vector<std::string_view> args{"XREADGROUP", "GROUP", keys_.group, consumer, "COUNT", count};
  if (block > Millis(0)) {
    args.push_back("BLOCK");
    args.push_back(block_ms);
  }
  args.push_back("STREAMS");
  args.push_back(keys_.stream);
  args.push_back(">");
  auto reply = pool_->command(args, block);
  if (!reply) {
    if (!is_nogroup(reply.error())) return reply.error();
    // The stream or group vanished (a Redis that lost its data): recreate, read next time.
    auto connection = pool_->acquire();
    if (!connection) return connection.error();
    if (auto created = ensure_consumer_group(**connection, config_); !created) {
      return created.error();
    }
    return std::vector<Delivery>{};
  }
  std::vector<Delivery> out;
  for (const auto& stream : reply->elements) {
    for (const auto& entry : stream.at(1).elements) {
      auto delivery = to_delivery(entry, consumer);
      if (!delivery) return delivery.error();
      if (*delivery) out.push_back(std::move(**delivery));
    }
  }
  return out;
}

Result<QueueStats> RedisQueue::stats() {
  auto connection = pool_->acquire();
  if (!connection) return connection.error().with_context("stats");
  const std::string bytes =
      format_command({"XINFO", "GROUPS", keys_.stream}) + format_command({"XLEN", keys_.stream}) +
      format_command({"ZCARD", keys_.delayed}) + format_command({"XLEN", keys_.dlq}) +
      format_command({"XLEN", keys_.results}) + format_command({"TIME"});
  auto replies = (*connection)->round_trip(bytes, 6);
  if (!replies) return replies.error().with_context("stats");
  for (std::size_t i = 1; i < replies->size(); ++i) {
    if ((*replies)[i].is_error()) return redis_error((*replies)[i], "stats");
  }
  QueueStats stats;
  std::string last_delivered = "0-0";
  const RedisReply& groups = (*replies)[0];  // an error when the stream does not exist yet
  for (const auto& group : groups.elements) {
    const std::string* name = field(group, "name");
    if (name == nullptr || *name != keys_.group) continue;
    for (std::size_t i = 0; i + 1 < group.elements.size(); i += 2) {
      if (group.elements[i].str == "pending") stats.pending = group.elements[i + 1].integer;
      if (group.elements[i].str == "last-delivered-id") last_delivered = group.elements[i + 1].str;
    }
  }
  // Settled entries are deleted, so the stream holds exactly the waiting and leased events.
  stats.depth = std::max<std::int64_t>((*replies)[1].integer - stats.pending, 0);
  stats.delayed = (*replies)[2].integer;
  stats.dlq = (*replies)[3].integer;
  stats.results = (*replies)[4].integer;
  if (stats.depth > 0) {
    const RedisReply& time = (*replies)[5];
    const long long now_ms =
        std::stoll(time.at(0).str) * 1000 + std::stoll(time.at(1).str) / 1000;
    auto next = (*connection)->command(
        {"XRANGE", keys_.stream, "(" + last_delivered, "+", "COUNT", "1"});
    if (!next) return next.error().with_context("stats");
    if (!next->elements.empty()) {
      const std::string& entry = next->at(0).at(0).str;
      const long long added_ms = std::stoll(entry.substr(0, entry.find('-')));
      stats.oldest_waiting_ms = std::max<long long>(now_ms - added_ms, 0);
    }
  }
  auto consumers = this->consumers(**connection);
  if (!consumers) return consumers.error().with_context("stats");
  stats.consumers = std::move(*consumers);
  stats.names = {{"stream", keys_.stream},   {"group", keys_.group},
                 {"delayed", keys_.delayed}, {"delayed_envelopes", keys_.delayed_env},
                 {"dlq", keys_.dlq},         {"results", keys_.results}};
  return stats;
}

Result<std::vector<ConsumerStats>> RedisQueue::consumers(RedisConnection& redis) {
  auto reply = redis.command({"XINFO", "CONSUMERS", keys_.stream, keys_.group});
  if (!reply) {
    if (is_nogroup(reply.error())) return std::vector<ConsumerStats>{};  // nothing consumed yet
    return reply.error();
  }
  std::vector<ConsumerStats> out;
  for (const auto& item : reply->elements) {
    ConsumerStats consumer;
    for (std::size_t i = 0; i + 1 < item.elements.size(); i += 2) {
      const std::string& key = item.elements[i].str;
      if (key == "name") consumer.name = item.elements[i + 1].str;
      if (key == "pending") consumer.pending = item.elements[i + 1].integer;
      if (key == "idle") consumer.idle_ms = item.elements[i + 1].integer;
    }
    out.push_back(std::move(consumer));
  }
  return out;
}

Result<std::vector<Envelope>> RedisQueue::dead_letters(std::size_t limit) {
  auto reply = pool_->command({"XREVRANGE", keys_.dlq, "+", "-", "COUNT", std::to_string(limit)});
  if (!reply) return reply.error().with_context("dead_letters");
  std::vector<Envelope> out;
  for (auto it = reply->elements.rbegin(); it != reply->elements.rend(); ++it) {
    const std::string* json = field(it->at(1), "e");
    auto parsed = json != nullptr ? event::parse_envelope(*json)
                                  : Result<Envelope>(Error(ErrorCode::kInvalidArgument, "no e"));
    if (!parsed) {
      log_->warn("dead letter {} is not a valid envelope: {}", it->at(0).str,
                 parsed.error().message());
      continue;
    }
    out.push_back(std::move(*parsed));
  }
  return out;
}

Result<EventRecord> RedisQueue::find_event(const std::string& id) {
  for (int attempt = 1;; ++attempt) {
    bool moved = false;
    auto record = find_event_once(id, moved);
    if (!moved || attempt == 5) return record;
  }
}

Result<EventRecord> RedisQueue::find_event_once(const std::string& id, bool& moved) {
  auto connection = pool_->acquire();
  if (!connection) return connection.error().with_context("find_event");
  RedisConnection& redis = **connection;
  auto index = redis.command({"GET", keys_.index(id)});
  if (!index) return index.error().with_context("find_event");
  std::string event_id = id;
  if (index->is_nil()) {
    auto by_delivery = redis.command({"GET", keys_.delivery(id)});
    if (!by_delivery) return by_delivery.error().with_context("find_event");
    if (!by_delivery->is_nil()) {
      event_id = by_delivery->str;
      index = redis.command({"GET", keys_.index(event_id)});
      if (!index) return index.error().with_context("find_event");
    }
  }
  const Error not_found(ErrorCode::kNotFound, "no event with event id or delivery id " + id);
  const auto where = index->is_nil() ? std::nullopt : parse_index(index->str);
  if (!where) return not_found;

  EventRecord record;
  std::optional<RedisReply> entry;
  const auto read_entry = [&](const std::string& stream) -> Status {
    auto range = redis.command({"XRANGE", stream, where->location, where->location});
    if (!range) return range.error().with_context("find_event");
    if (!range->elements.empty()) entry = range->at(0).at(1);
    return ok_status();
  };
  std::string json;
  if (where->state == "queued") {
    if (auto read = read_entry(keys_.stream); !read) return read.error();
    auto pending =
        redis.command({"XPENDING", keys_.stream, keys_.group, where->location, where->location, "1"});
    if (!pending) return pending.error().with_context("find_event");
    record.state = pending->elements.empty() ? EventState::kWaiting : EventState::kRunning;
  } else if (where->state == "retrying") {
    auto stored = redis.command({"HGET", keys_.delayed_env, event_id});
    if (!stored) return stored.error().with_context("find_event");
    if (stored->is_nil()) {
      moved = true;
      return not_found;
    }
    json = stored->str;
    record.state = EventState::kRetrying;
  } else if (where->state == "done" || where->state == "dead") {
    if (auto read = read_entry(where->state == "done" ? keys_.results : keys_.dlq); !read) {
      return read.error();
    }
    record.state = where->state == "done" ? EventState::kDone : EventState::kDead;
  } else {
    return not_found;
  }
  if (entry) {
    if (const auto* e = field(*entry, "e")) json = *e;
    if (const auto* r = field(*entry, "r")) record.result_json = *r;
    if (const auto* at = field(*entry, "at")) record.finished_at = *at;
  }
  if (json.empty()) {  // settled meanwhile, or trimmed by retention
    moved = true;
    return not_found;
  }
  auto envelope = event::parse_envelope(json);
  if (!envelope) return envelope.error().with_context("find_event: stored envelope of " + id);
  record.envelope = std::move(*envelope);
  if (record.state == EventState::kRunning) record.envelope.attempt += 1;
  return record;
}

Result<std::string> RedisQueue::dead_index(const std::string& id) {
  auto index = pool_->command({"GET", keys_.index(id)});
  if (!index) return index.error();
  if (index->is_nil() || !index->str.starts_with("dead|")) {
    return Error(ErrorCode::kNotFound, "no dead letter with event id " + id);
  }
  return index->str;
}

Result<ReplayOutcome> RedisQueue::replay(const ReplayRequest& request) {
  const std::string& id = request.event_id;
  auto index = dead_index(id);
  if (!index) return index.error().with_context("replay");
  const auto where = parse_index(*index);
  auto range = pool_->command({"XRANGE", keys_.dlq, where->location, where->location});
  if (!range) return range.error().with_context("replay");
  const std::string* json =
      range->elements.empty() ? nullptr : field(range->at(0).at(1), "e");
  if (json == nullptr) return Error(ErrorCode::kNotFound, "replay: no dead letter with event id " + id);
  auto dead = event::parse_envelope(*json);
  if (!dead) {
    return dead.error().with_context("replay: dead letter " + id +
                                     " is not a valid envelope (purge it instead)");
  }
  auto next = replayed_envelope(*dead, request, now());
  if (!next) return next.error();
  const bool use_delivery = !next->delivery_id.empty() && config_.dedup_window_secs > 0;
  auto reply = run(scripts::replay(),
                   {keys_.stream, keys_.index(id), keys_.dlq, keys_.delivery(next->delivery_id)},
                   {*index, event::to_json(*next), std::to_string(next->generation),
                    use_delivery ? id : "", dedup_ttl_ms_});
  if (!reply) return reply.error().with_context("replay");
  if (reply->integer != 1) {
    return Error(ErrorCode::kNotFound, "replay: event " + id +
                                           " stopped being a dead letter meanwhile (replayed, "
                                           "purged or trimmed by someone else)");
  }
  return ReplayOutcome{id, next->generation};
}

Status RedisQueue::purge_dead_letter(const std::string& event_id) {
  auto index = dead_index(event_id);
  if (!index) return index.error().with_context("purge");
  auto reply = run(scripts::purge(), {keys_.index(event_id), keys_.dlq}, {*index});
  if (!reply) return reply.error().with_context("purge");
  if (reply->integer != 1) {
    return Error(ErrorCode::kNotFound, "purge: event " + event_id +
                                           " stopped being a dead letter meanwhile");
  }
  return ok_status();
}

std::vector<std::string> RedisQueue::durability_warnings() {
  auto reply = pool_->command({"CONFIG", "GET", "appendonly"});
  if (!reply) {
    return {"could not read Redis's persistence settings (" + reply.error().message() +
            "); make sure the server runs with appendonly yes, or accepted events are lost "
            "when Redis restarts"};
  }
  const std::string& value = reply->at(1).str;
  if (value != "yes") {
    return {"redis at " + pool_->endpoint().address() +
            " runs with appendonly " + value +
            ": accepted events that are not yet in an RDB snapshot are lost if Redis restarts; "
            "set appendonly yes (appendfsync everysec loses at most ~1 s on a host crash, "
            "always loses nothing)"};
  }
  return {};
}

}  // namespace

Status ensure_consumer_group(RedisConnection& connection, const config::QueueConfig& config) {
  const RedisKeys keys(config);
  auto created = connection.command({"XGROUP", "CREATE", keys.stream, keys.group, "0", "MKSTREAM"});
  if (!created && created.error().message().find("BUSYGROUP") == std::string::npos) {
    return created.error().with_context("creating consumer group " + keys.group);
  }
  return ok_status();
}

std::shared_ptr<Queue> make_redis_queue(const config::QueueConfig& config,
                                        std::shared_ptr<RedisPool> pool, Jitter jitter) {
  return std::make_shared<RedisQueue>(config, std::move(pool), std::move(jitter));
}

}  // namespace aof::queue
