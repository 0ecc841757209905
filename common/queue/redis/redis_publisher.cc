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
    thread_ = std::thread([this] { loop(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    for (auto& call : queued_) {
      call.done(Error(ErrorCode::kUnavailable, "publish: shutting down before redis answered"));
    }
  }

  std::uint64_t round_trips() const { return round_trips_.load(std::memory_order_relaxed); }

  void submit(std::string bytes, Done done) {
    {
      std::lock_guard lock(mu_);
      queued_.push_back(Call{std::move(bytes), std::move(done)});
    }
    wake_.notify_one();
  }

 private:
  void loop() {
    std::vector<Call> batch;
    while (true) {
      {
        std::unique_lock lock(mu_);
        wake_.wait(lock, [&] { return stopping_ || !queued_.empty(); });
        if (stopping_) return;
        while (!queued_.empty() && batch.size() < max_batch_) {
          batch.push_back(std::move(queued_.front()));
          queued_.pop_front();
        }
      }
      send(batch);
      batch.clear();
    }
  }

  // One pipelined round trip for `batch`; calls the server did not have the script for are
  // sent again once it is loaded (they did not run).
  void send(std::vector<Call>& batch) {
    for (int round = 0; round < 2 && !batch.empty(); ++round) {
      if (auto connected = connect(); !connected) return fail_all(batch, connected.error());
      std::string bytes;
      for (const auto& call : batch) bytes += call.bytes;
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
  std::unique_ptr<RedisConnection> connection_;  // publisher thread only
  bool loaded_ = false;                          // publisher thread only
  std::atomic<std::uint64_t> round_trips_{0};

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Call> queued_;  // guarded by mu_
  bool stopping_ = false;    // guarded by mu_
  std::thread thread_;
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
