// The body-aside layer over a broker's Queue (body_aside.h has the contract).
#include "common/queue/body_aside.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <system_error>
#include <thread>

#include "common/base/ids.h"
#include "common/base/log.h"
#include "common/base/digest.h"

namespace aof::queue {
namespace {

using event::Envelope;

constexpr std::string_view kRefPrefix = "aside1:";
// Between the backend's handle and the body_ref in a Delivery's handle: neither a Redis entry
// id nor a NATS ack subject contains it.
constexpr char kHandleMark = '\n';

std::string body_sha256(std::string_view body) { return sha256_hex(body); }

std::optional<std::size_t> parse_size(std::string_view text) {
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return {};
  return value;
}

bool is_key(std::string_view key) {
  return !key.empty() && key.size() <= 64 &&
         key.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") ==
             std::string_view::npos;
}

bool is_sha256_hex(std::string_view hex) {
  return hex.size() == 64 && hex.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// The stored form of a delivery: the backend's handle, no body, body_ref set.
Delivery stored_form(const Delivery& delivery) {
  const auto mark = delivery.handle.find(kHandleMark);
  if (mark == std::string::npos) return delivery;
  Delivery inner{Envelope{}, delivery.consumer, delivery.handle.substr(0, mark)};
  inner.envelope = delivery.envelope;
  inner.envelope.body.clear();
  inner.envelope.body_ref = delivery.handle.substr(mark + 1);
  return inner;
}

// Reading a body back failed for good: it is missing (kNotFound) or corrupt
// (kInvalidArgument), so the event can never run. Anything else is a broker error worth
// another try.
bool is_lost_body(const Error& error) {
  return error.code() == ErrorCode::kNotFound || error.code() == ErrorCode::kInvalidArgument;
}

class AsideQueue final : public Queue {
 public:
  AsideQueue(std::shared_ptr<Queue> inner, std::shared_ptr<BodyStore> store)
      : inner_(std::move(inner)),
        store_(std::move(store)),
        log_(log::get(log::Component::kQueue)) {}

  std::future<Result<PublishReceipt>> publish_kept(const Envelope& envelope) override {
    if (!goes_aside(envelope)) return inner_->publish_kept(envelope);
    return publish(envelope);  // stored aside on a thread of its own: that needs a copy
  }

  std::future<Result<PublishReceipt>> publish(Envelope envelope) override {
    if (!goes_aside(envelope)) return inner_->publish(std::move(envelope));
    auto promise = std::make_shared<std::promise<Result<PublishReceipt>>>();
    auto future = promise->get_future();
    publish_aside_async(std::move(envelope), [promise](Result<PublishReceipt> receipt) {
      promise->set_value(std::move(receipt));
    });
    return future;
  }

  // Bodies stored aside go through a thread of their own, so this blocks no more than the
  // inner queue does.
  bool publishes_without_blocking() const override {
    return inner_->publishes_without_blocking();
  }

  void publish_async(const Envelope& envelope, PublishCallback done) override {
    if (!goes_aside(envelope)) return inner_->publish_async(envelope, std::move(done));
    publish_aside_async(envelope, std::move(done));
  }

  Result<std::vector<Delivery>> fetch(const std::string& consumer, std::size_t max,
                                      Millis wait) override {
    auto fetched = inner_->fetch(consumer, max, wait);
    if (!fetched) return fetched;
    std::vector<Delivery> out;
    out.reserve(fetched->size());
    for (auto& delivery : *fetched) {
      if (delivery.envelope.body_ref.empty()) {
        out.push_back(std::move(delivery));
      } else if (auto whole = reassemble(std::move(delivery))) {
        out.push_back(std::move(*whole));
      }
    }
    return out;
  }

  Status extend(const Delivery& delivery) override { return inner_->extend(stored_form(delivery)); }

  Status ack(const Delivery& delivery, const nlohmann::json& result) override {
    Delivery inner = stored_form(delivery);
    const std::string ref = std::move(inner.envelope.body_ref);
    inner.envelope.body_ref.clear();  // the result keeps no body, so it names none
    auto acked = inner_->ack(inner, result);
    if (acked && !ref.empty()) remove_body(ref, delivery.envelope.id);
    return acked;
  }

  Result<FailOutcome> fail(const Delivery& delivery, const Failure& failure) override {
    return inner_->fail(stored_form(delivery), failure);
  }

  Status release(const Delivery& delivery) override {
    return inner_->release(stored_form(delivery));
  }

  Result<std::int64_t> maintain() override { return inner_->maintain(); }

  Result<QueueStats> stats() override {
    auto stats = inner_->stats();
    if (stats) stats->names["bodies"] = store_->name();
    return stats;
  }

  Result<std::vector<Envelope>> dead_letters(std::size_t limit) override {
    return inner_->dead_letters(limit);
  }

  Result<EventRecord> find_event(const std::string& id) override { return inner_->find_event(id); }

  Result<ReplayOutcome> replay(const ReplayRequest& request) override;
  Status purge_dead_letter(const std::string& event_id) override;

  const char* backend() const override { return inner_->backend(); }
  std::vector<std::string> durability_warnings() override { return inner_->durability_warnings(); }

 private:
  // Storing 20 MiB takes a while: on a thread of its own, so the caller's ack timeout (the
  // sidecar spools after it) covers the chunks too. `done` runs on that thread, or here when
  // the envelope is invalid or no thread can be had.
  void publish_aside_async(Envelope envelope, PublishCallback done) {
    if (auto valid = event::validate_envelope(envelope); !valid) {
      return done(valid.error().with_context("publish"));
    }
    auto shared_done = std::make_shared<PublishCallback>(std::move(done));
    try {
      std::thread([inner = inner_, store = store_, log = log_, envelope = std::move(envelope),
                   shared_done]() mutable {
        auto receipt = publish_aside(*inner, *store, *log, std::move(envelope));
        // The caller's references go last: the queue is never destroyed on this thread while
        // its owner waits for the receipt.
        inner.reset();
        store.reset();
        (*shared_done)(std::move(receipt));
      }).detach();
    } catch (const std::system_error& error) {  // no thread to be had: out of resources
      (*shared_done)(
          Error(ErrorCode::kResourceExhausted,
                std::string("publish: no thread to store a body aside: ") + error.what()));
    }
  }

  bool goes_aside(const Envelope& envelope) const {
    const std::size_t limit = store_->inline_limit();
    if (envelope.body.size() > limit) return true;
    // The JSON of a body grows by up to 4/3 (base64) or 6 (escapes): measure only those that
    // may grow past the limit, so small bodies cost nothing here.
    return envelope.body.size() > limit / 8 && event::to_json(envelope).size() > limit;
  }

  static Result<PublishReceipt> publish_aside(Queue& inner, BodyStore& store, spdlog::logger& log,
                                              Envelope envelope);
  static Result<BodyRef> store_body(BodyStore& store, const std::string& body);

  // The delivery with its whole body, or nullopt when it could not be read (then it was
  // dead-lettered or released here).
  std::optional<Delivery> reassemble(Delivery delivery);
  Result<std::string> load(const std::string& body_ref);
  void remove_body(const std::string& body_ref, const std::string& event_id);
  // The body_ref of dead letter `event_id`; "" when it has none or is not a dead letter now.
  std::string dead_body_ref(const std::string& event_id);

  std::shared_ptr<Queue> inner_;
  std::shared_ptr<BodyStore> store_;
  std::shared_ptr<spdlog::logger> log_;
};

Result<BodyRef> AsideQueue::store_body(BodyStore& store, const std::string& body) {
  BodyRef ref{new_ulid(SystemClock::instance().now()), body.size(), store.inline_limit(),
              body_sha256(body)};
  std::vector<std::string_view> chunks;
  for (std::size_t at = 0; at < body.size(); at += ref.chunk_size) {
    chunks.push_back(std::string_view(body).substr(at, ref.chunk_size));
  }
  if (auto put = store.put(ref.key, 0, chunks); !put) return put.error();
  return ref;
}

Result<PublishReceipt> AsideQueue::publish_aside(Queue& inner, BodyStore& store,
                                                 spdlog::logger& log, Envelope envelope) {
  auto ref = store_body(store, envelope.body);
  if (!ref) {
    return ref.error().with_context("publish: storing the " + std::to_string(envelope.body.size()) +
                                    "-byte body of event " + envelope.id + " aside");
  }
  envelope.body.clear();
  envelope.body_ref = to_string(*ref);
  const std::string id = envelope.id;
  auto receipt = inner.publish(std::move(envelope)).get();
  if (receipt && receipt->status == PublishStatus::kDuplicate) {
    // Nothing refers to this copy: the original stored its own under another key.
    if (auto removed = store.remove(ref->key, ref->chunks()); !removed) {
      log.warn("event_id={} duplicate: its body chunks stay until they expire: {}", id,
               removed.error().message());
    }
  }
  log.debug("event_id={} body of {} bytes stored aside in {} chunks", id, ref->length,
            ref->chunks());
  return receipt;
}

Result<std::string> AsideQueue::load(const std::string& body_ref) {
  auto ref = parse_body_ref(body_ref, event::EnvelopeLimits{}.max_body_bytes);
  if (!ref) return ref.error();
  std::string body;
  body.reserve(ref->length);
  for (std::size_t i = 0; i < ref->chunks(); ++i) {
    auto chunk = store_->get(ref->key, i);
    if (!chunk) {
      // A store that says "not found" or "invalid" about a read is still a broker error.
      return Error(is_lost_body(chunk.error()) ? ErrorCode::kUnavailable : chunk.error().code(),
                   chunk.error().message());
    }
    const std::string where = "chunk " + std::to_string(i + 1) + " of " +
                              std::to_string(ref->chunks()) + " (" + store_->name() + ")";
    if (!*chunk) {
      return Error(ErrorCode::kNotFound, where +
                                             " is missing: expired after "
                                             "queue.retention.body_ttl_secs or removed");
    }
    const std::size_t expected = std::min(ref->chunk_size, ref->length - body.size());
    if ((*chunk)->size() != expected) {
      return Error(ErrorCode::kInvalidArgument, where + " is " + std::to_string((*chunk)->size()) +
                                                    " bytes, expected " + std::to_string(expected));
    }
    body += **chunk;
  }
  if (body_sha256(body) != ref->sha256) {
    return Error(ErrorCode::kInvalidArgument, "the reassembled " + std::to_string(body.size()) +
                                                  " bytes do not match the body's SHA-256 " +
                                                  ref->sha256);
  }
  return body;
}

std::optional<Delivery> AsideQueue::reassemble(Delivery delivery) {
  const std::string& id = delivery.envelope.id;
  auto body = load(delivery.envelope.body_ref);
  if (body) {
    delivery.handle += kHandleMark + delivery.envelope.body_ref;
    delivery.envelope.body = std::move(*body);
    delivery.envelope.body_ref.clear();
    return delivery;
  }
  const Error& failed = body.error();
  const std::string message = "the body stored aside (" + delivery.envelope.body_ref +
                              ") cannot be read back: " + failed.message();
  if (!is_lost_body(failed)) {
    log_->warn("event_id={} {}; released for later", id, message);
    if (auto released = inner_->release(delivery); !released) {
      log_->warn("event_id={} release: {}", id, released.error().message());
    }
    return std::nullopt;
  }
  log_->error("event_id={} {}; dead-lettering it", id, message);
  auto dead = inner_->fail(delivery, Failure{failed.code(), message, true});
  if (!dead) log_->error("event_id={} dead-lettering: {}", id, dead.error().message());
  return std::nullopt;
}

void AsideQueue::remove_body(const std::string& body_ref, const std::string& event_id) {
  auto ref = parse_body_ref(body_ref, event::EnvelopeLimits{}.max_body_bytes);
  auto removed = ref ? store_->remove(ref->key, ref->chunks()) : Status(ref.error());
  if (!removed) {
    log_->warn("event_id={} its body chunks stay until they expire: {}", event_id,
               removed.error().message());
  }
}

std::string AsideQueue::dead_body_ref(const std::string& event_id) {
  auto record = inner_->find_event(event_id);
  if (!record || record->state != EventState::kDead) return "";
  return record->envelope.body_ref;
}

Result<ReplayOutcome> AsideQueue::replay(const ReplayRequest& request) {
  const std::string ref = dead_body_ref(request.event_id);
  if (!ref.empty() && !request.body) {
    if (auto body = load(ref); !body) {
      return body.error().with_context(
          "replay: the body of dead letter " + request.event_id +
          " was stored aside and cannot be read back (replay it with a new body, or purge it)");
    }
  }
  auto replayed = inner_->replay(request);
  if (replayed && !ref.empty() && request.body) remove_body(ref, request.event_id);
  return replayed;
}

Status AsideQueue::purge_dead_letter(const std::string& event_id) {
  const std::string ref = dead_body_ref(event_id);
  auto purged = inner_->purge_dead_letter(event_id);
  if (purged && !ref.empty()) remove_body(ref, event_id);
  return purged;
}

}  // namespace

std::string to_string(const BodyRef& ref) {
  return std::string(kRefPrefix) + ref.key + ":" + std::to_string(ref.length) + ":" +
         std::to_string(ref.chunk_size) + ":" + ref.sha256;
}

Result<BodyRef> parse_body_ref(std::string_view text, std::size_t max_body_bytes) {
  const auto bad = [&](const std::string& why) {
    return Error(ErrorCode::kInvalidArgument,
                 "body_ref \"" + std::string(text.substr(0, 200)) + "\": " + why);
  };
  if (!text.starts_with(kRefPrefix)) return bad("not of the form aside1:key:length:chunk:sha256");
  std::vector<std::string_view> parts;
  std::string_view rest = text.substr(kRefPrefix.size());
  for (std::size_t colon; (colon = rest.find(':')) != std::string_view::npos;) {
    parts.push_back(rest.substr(0, colon));
    rest.remove_prefix(colon + 1);
  }
  parts.push_back(rest);
  if (parts.size() != 4) return bad("not of the form aside1:key:length:chunk:sha256");
  const auto length = parse_size(parts[1]);
  const auto chunk_size = parse_size(parts[2]);
  if (!is_key(parts[0])) return bad("the key must be 1 to 64 letters or digits");
  if (!length || *length == 0) return bad("the length must be a positive integer");
  if (*length > max_body_bytes) {
    return bad("the length " + std::to_string(*length) + " exceeds the " +
               std::to_string(max_body_bytes) + "-byte body limit");
  }
  if (!chunk_size || *chunk_size < kMinBodyChunk) {
    return bad("the chunk size must be an integer >= " + std::to_string(kMinBodyChunk));
  }
  if (!is_sha256_hex(parts[3])) return bad("the digest must be 64 lowercase hex digits");
  return BodyRef{std::string(parts[0]), *length, *chunk_size, std::string(parts[3])};
}

std::shared_ptr<Queue> with_bodies_aside(std::shared_ptr<Queue> inner,
                                         std::shared_ptr<BodyStore> store) {
  return std::make_shared<AsideQueue>(std::move(inner), std::move(store));
}

}  // namespace aof::queue
