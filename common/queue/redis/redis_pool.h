#pragma once
// A small pool of RedisConnections for the request/response paths (fetch, ack, stats, state).
// Connections are opened on demand and kept while healthy; a broken one is dropped, so the
// first call after a Redis restart fails (kUnavailable) and the next one reconnects.
// Thread-safe.

#include <memory>
#include <mutex>
#include <vector>

#include "common/base/result.h"
#include "common/queue/redis/redis_connection.h"

namespace aof::queue {

class RedisPool {
 public:
  explicit RedisPool(RedisEndpoint endpoint, std::size_t max_idle = 16);

  // A connection held for one operation; back to the pool when destroyed, unless broken.
  class Lease {
   public:
    Lease(RedisPool* pool, std::unique_ptr<RedisConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = default;
    ~Lease();
    RedisConnection* operator->() const { return connection_.get(); }
    RedisConnection& operator*() const { return *connection_; }

   private:
    RedisPool* pool_;
    std::unique_ptr<RedisConnection> connection_;
  };

  Result<Lease> acquire();

  // One command on a pooled connection; server errors become errors.
  Result<RedisReply> command(const std::vector<std::string_view>& args,
                             Millis extra_wait = Millis(0));

  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  void give_back(std::unique_ptr<RedisConnection> connection);

  const RedisEndpoint endpoint_;
  const std::size_t max_idle_;
  std::mutex mu_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;  // guarded by mu_
};

}  // namespace aof::queue
