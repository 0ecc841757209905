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
  std::string bytes;
  RedisPublisher::Done done;
};

class RedisPublisher::Impl {
 public:
  Impl(RedisEndpoint endpoint, const redis_scripts::Script& script, std::size_t max_batch)
      : endpoint_(std::move(endpoint)), script_(script), max_batch_(max_batch) {
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
  void submit(std::string bytes, Done done) {
    std::vector<Call> batch;
    {
      std::lock_guard lock(mu_);
      queued_.push_back(Call{std::move(bytes), std::move(done)});
      if (leading_) return;  // the round trip in flight is followed by one carrying this call
      leading_ = true;
      take_batch(batch);
    }
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

  // One pipelined round trip for `batch`; calls the server did not have the script for are
  // sent again once it is loaded (they did not run). Only the leader calls it.
  void send(std::vector<Call>& batch) {
    for (int round = 0; round < 2 && !batch.empty(); ++round) {
      if (auto connected = connect(); !connected) return fail_all(batch, connected.error());
      std::string bytes;
      if (batch.size() == 1) {
        bytes.swap(batch.front().bytes);
      } else {
        for (const auto& call : batch) bytes += call.bytes;
      }
      auto replies = connection_->round_trip(bytes, batch.size());
      round_trips_.fetch_add(1, std::memory_order_relaxed);
      if (!replies) {
        connection_.reset();
        return fail_all(batch, replies.error().with_context("publish"));
      }
      std::vector<Call> again;
      for (std::size_t i = 0; i < batch.size(); ++i) {
        RedisReply& reply = (*replies)[i];
        if (redis_scripts::is_noscript(reply)) {
          if (batch.size() == 1) batch[i].bytes.swap(bytes);
          again.push_back(std::move(batch[i]));
        } else {
          batch[i].done(checked(std::move(reply), "publish"));
        }
      }
      batch.swap(again);
      if (!batch.empty()) loaded_ = false;
    }
    fail_all(batch, Error(ErrorCode::kInternal, "publish: redis keeps losing the publish script"));
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
      if (auto loaded = redis_scripts::load(*connection_, script_); !loaded) {
        connection_.reset();
        return loaded.error().with_context("publish");
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
  const redis_scripts::Script& script_;
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

RedisPublisher::RedisPublisher(RedisEndpoint endpoint, const redis_scripts::Script& script,
                               std::size_t max_batch)
    : impl_(std::make_unique<Impl>(std::move(endpoint), script, max_batch)) {}

RedisPublisher::~RedisPublisher() = default;

void RedisPublisher::submit(std::string call, Done done) {
  impl_->submit(std::move(call), std::move(done));
}

std::uint64_t RedisPublisher::round_trips() const { return impl_->round_trips(); }

}  // namespace aof::queue
