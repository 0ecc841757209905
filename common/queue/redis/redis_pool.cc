#include "common/queue/redis/redis_pool.h"

namespace aof::queue {

RedisPool::RedisPool(RedisEndpoint endpoint, std::size_t max_idle)
    : endpoint_(std::move(endpoint)), max_idle_(max_idle) {}

RedisPool::Lease::~Lease() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->give_back(std::move(connection_));
}

Result<RedisPool::Lease> RedisPool::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(connection));
    }
  }
  auto opened = RedisConnection::open(endpoint_);
  if (!opened) return opened.error();
  return Lease(this, std::move(*opened));
}

Result<RedisReply> RedisPool::command(const std::vector<std::string_view>& args,
                                      Millis extra_wait) {
  auto connection = acquire();
  if (!connection) return connection.error();
  return (*connection)->command(args, extra_wait);
}

void RedisPool::give_back(std::unique_ptr<RedisConnection> connection) {
  if (connection->broken()) return;
  std::lock_guard lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

}  // namespace aof::queue
