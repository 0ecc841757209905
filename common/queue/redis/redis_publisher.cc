#include "common/queue/redis/redis_publisher.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "common/queue/redis/redis_connection.h"

namespace aof::queue {

struct Call {
  redis_scripts::PublishEvent event;
  RedisPublisher::Done done;
};

// A batch script call carries at most this many events and about this many envelope bytes,
// so one script never holds the server for long and a full Redis is overshot by one such
// call at most (Redis refuses a script's writes over maxmemory only until its first write).
constexpr std::size_t kMaxEventsPerScript = 128;
constexpr std::size_t kMaxBytesPerScript = 1 << 20;

class RedisPublisher::Impl {
 public:
  Impl(RedisEndpoint endpoint, redis_scripts::PublishTarget target, std::size_t max_batch)
      : endpoint_(std::move(endpoint)), target_(std::move(target)), max_batch_(max_batch) {
    flusher_ = std::thread([this] { flush_loop(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    flusher_.join();
    for (auto& call : queued_) {
      call.done(Error(ErrorCode::kUnavailable, "publish: shutting down before redis answered"));
    }
  }

  std::uint64_t round_trips() const { return round_trips_.load(std::memory_order_relaxed); }

  // Leader/follower: a caller that finds no round trip in flight sends its own call at once
  // on its own thread (no hand-off to another thread and back: two context switches fewer
  // per request at moderate load). Calls arriving meanwhile queue; when the leader is done
  // it hands what queued to the flusher thread instead of sending it too, so the leader's
  // own request is answered after exactly one round trip.
  void submit(redis_scripts::PublishEvent event, Lead lead, Done done) {
    std::vector<Call> batch;
    {
      std::lock_guard lock(mu_);
      queued_.push_back(Call{std::move(event), std::move(done)});
      if (leading_) return;  // the round trip in flight is followed by one carrying this call
      leading_ = true;
      if (lead == Lead::kNever) {
        flush_requested_ = true;
      } else {
        take_batch(batch);
      }
    }
    if (lead == Lead::kNever) return wake_.notify_one();
    send(batch);
    {
      std::lock_guard lock(mu_);
      if (queued_.empty()) {
        leading_ = false;
        return;
      }
      flush_requested_ = true;  // leadership passes to the flusher with the queue
    }
    wake_.notify_one();
  }

 private:
  // The flusher leads only when a caller handed it calls that queued during a round trip;
  // it sends batches until the queue is empty, then gives leadership back to the callers.
  void flush_loop() {
    std::vector<Call> batch;
    std::unique_lock lock(mu_);
    while (true) {
      wake_.wait(lock, [&] { return stopping_ || flush_requested_; });
      if (stopping_) return;
      flush_requested_ = false;
      while (!queued_.empty() && !stopping_) {
        take_batch(batch);
        lock.unlock();
        send(batch);
        batch.clear();
        lock.lock();
      }
      leading_ = false;
    }
  }

  void take_batch(std::vector<Call>& batch) {  // mu_ held
    while (!queued_.empty() && batch.size() < max_batch_) {
      batch.push_back(std::move(queued_.front()));
      queued_.pop_front();
    }
  }

  // One round trip for `batch`: one EVALSHA of the publish script when it is one call, else
  // batch script calls of up to kMaxEventsPerScript events, pipelined. Calls the server did
  // not have the script for are sent again once it is loaded (they did not run). Only the
  // leader calls it.
  void send(std::vector<Call>& batch) {
    for (int round = 0; round < 2 && !batch.empty(); ++round) {
      if (auto connected = connect(); !connected) return fail_all(batch, connected.error());
      std::string bytes;
      std::vector<std::size_t> ends = format(batch, bytes);  // end of each script's calls
      auto replies = connection_->round_trip(bytes, ends.size());
      round_trips_.fetch_add(1, std::memory_order_relaxed);
      if (!replies) {
        connection_.reset();
        return fail_all(batch, replies.error().with_context("publish"));
      }
      std::vector<Call> again;
      std::size_t begin = 0;
      for (std::size_t s = 0; s < ends.size(); begin = ends[s++]) {
        RedisReply& reply = (*replies)[s];
        if (redis_scripts::is_noscript(reply)) {
          for (std::size_t i = begin; i < ends[s]; ++i) again.push_back(std::move(batch[i]));
        } else if (batch.size() == 1) {
          batch[0].done(checked(std::move(reply), "publish"));
        } else {
          answer(batch, begin, ends[s], reply);
        }
      }
      batch.swap(again);
      if (!batch.empty()) loaded_ = false;
    }
    fail_all(batch, Error(ErrorCode::kInternal, "publish: redis keeps losing the publish script"));
  }

  // Formats `batch` into `bytes`; returns the end index of each script call's events.
  std::vector<std::size_t> format(const std::vector<Call>& batch, std::string& bytes) const {
    if (batch.size() == 1) {
      redis_scripts::append_publish(bytes, target_, batch.front().event);
      return {1};
    }
    std::vector<std::size_t> ends;
    std::vector<const redis_scripts::PublishEvent*> events;
    std::size_t event_bytes = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      events.push_back(&batch[i].event);
      event_bytes += batch[i].event.envelope.size();
      if (events.size() == kMaxEventsPerScript || event_bytes >= kMaxBytesPerScript ||
          i + 1 == batch.size()) {
        redis_scripts::append_publish_batch(bytes, target_, events);
        ends.push_back(i + 1);
        events.clear();
        event_bytes = 0;
      }
    }
    return ends;
  }

  // Gives calls [begin, end) of `batch` their own element of a batch script's `reply` (or the
  // script's error, when it failed as a whole).
  static void answer(std::vector<Call>& batch, std::size_t begin, std::size_t end,
                     RedisReply& reply) {
    if (reply.is_error()) {
      const Error error = redis_error(reply, "publish");
      for (std::size_t i = begin; i < end; ++i) batch[i].done(error);
      return;
    }
    if (!reply.is_array() || reply.elements.size() != end - begin) {
      const Error error(ErrorCode::kInternal, "publish: redis answered the batch script with " +
                                                  std::to_string(reply.elements.size()) +
                                                  " replies for " + std::to_string(end - begin) +
                                                  " events");
      for (std::size_t i = begin; i < end; ++i) batch[i].done(error);
      return;
    }
    for (std::size_t i = begin; i < end; ++i) {
      batch[i].done(checked(std::move(reply.elements[i - begin]), "publish"));
    }
  }

  Status connect() {
    if (connection_ && connection_->broken()) connection_.reset();
    if (!connection_) {
      auto opened = RedisConnection::open(endpoint_);
      if (!opened) return opened.error().with_context("publish");
      connection_ = std::move(*opened);
      loaded_ = false;
    }
    if (!loaded_) {
      for (const auto* script : {&redis_scripts::publish(), &redis_scripts::publish_batch()}) {
        if (auto loaded = redis_scripts::load(*connection_, *script); !loaded) {
          connection_.reset();
          return loaded.error().with_context("publish");
        }
      }
      loaded_ = true;
    }
    return ok_status();
  }

  static void fail_all(std::vector<Call>& batch, const Error& error) {
    for (auto& call : batch) call.done(error);
    batch.clear();
  }

  const RedisEndpoint endpoint_;
  const redis_scripts::PublishTarget target_;
  const std::size_t max_batch_;
  // The connection and the script-loaded flag belong to whoever leads (leading_ passes them
  // between threads under mu_).
  std::unique_ptr<RedisConnection> connection_;
  bool loaded_ = false;
  std::atomic<std::uint64_t> round_trips_{0};

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Call> queued_;       // guarded by mu_
  bool leading_ = false;          // guarded by mu_: a round trip is being sent by someone
  bool flush_requested_ = false;  // guarded by mu_: the flusher leads next
  bool stopping_ = false;         // guarded by mu_
  std::thread flusher_;
};

RedisPublisher::RedisPublisher(RedisEndpoint endpoint, redis_scripts::PublishTarget target,
                               std::size_t max_batch)
    : impl_(std::make_unique<Impl>(std::move(endpoint), std::move(target), max_batch)) {}

RedisPublisher::~RedisPublisher() = default;

void RedisPublisher::submit(redis_scripts::PublishEvent event, Lead lead, Done done) {
  impl_->submit(std::move(event), lead, std::move(done));
}

std::uint64_t RedisPublisher::round_trips() const { return impl_->round_trips(); }

}  // namespace aof::queue
