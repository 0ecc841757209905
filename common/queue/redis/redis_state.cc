// The state store on Redis: plain keys under the state prefix, one command per call;
// compare-and-set is a Lua script so the check and the write are one step.
#include "common/queue/redis/redis_keys.h"
#include "common/queue/redis/redis_queue.h"
#include "common/queue/redis/redis_scripts.h"

namespace aof::queue {
namespace {

namespace scripts = redis_scripts;

class RedisState final : public StateStore {
 public:
  RedisState(const config::QueueConfig& config, std::shared_ptr<RedisPool> pool)
      : prefix_(RedisKeys(config).state_prefix), pool_(std::move(pool)) {}

  Result<std::optional<std::string>> get(const std::string& key) override {
    auto reply = pool_->command({"GET", prefix_ + key});
    if (!reply) return reply.error().with_context("state get");
    if (reply->is_nil()) return std::optional<std::string>();
    return std::optional<std::string>(std::move(reply->str));
  }

  Status put(const std::string& key, const std::string& value, Millis ttl) override {
    const std::string ms = std::to_string(ttl.count());
    auto reply = ttl > Millis(0) ? pool_->command({"SET", prefix_ + key, value, "PX", ms})
                                 : pool_->command({"SET", prefix_ + key, value});
    if (!reply) return reply.error().with_context("state put");
    return ok_status();
  }

  Result<bool> put_if_absent(const std::string& key, const std::string& value,
                             Millis ttl) override {
    const std::string ms = std::to_string(ttl.count());
    auto reply = ttl > Millis(0) ? pool_->command({"SET", prefix_ + key, value, "NX", "PX", ms})
                                 : pool_->command({"SET", prefix_ + key, value, "NX"});
    if (!reply) return reply.error().with_context("state put_if_absent");
    return !reply->is_nil();
  }

  Result<bool> compare_and_set(const std::string& key, const std::optional<std::string>& expected,
                               const std::string& value, Millis ttl) override {
    auto connection = pool_->acquire();
    if (!connection) return connection.error().with_context("state compare_and_set");
    auto reply = scripts::run(**connection, scripts::compare_and_set(), {prefix_ + key},
                              {expected ? "1" : "0", expected.value_or(""), value,
                               std::to_string(std::max<long long>(ttl.count(), 0))});
    if (!reply) return reply.error().with_context("state compare_and_set");
    return reply->integer == 1;
  }

  Status erase(const std::string& key) override {
    auto reply = pool_->command({"DEL", prefix_ + key});
    if (!reply) return reply.error().with_context("state erase");
    return ok_status();
  }

 private:
  const std::string prefix_;
  std::shared_ptr<RedisPool> pool_;
};

}  // namespace

std::shared_ptr<StateStore> make_redis_state(const config::QueueConfig& config,
                                             std::shared_ptr<RedisPool> pool) {
  return std::make_shared<RedisState>(config, std::move(pool));
}

}  // namespace aof::queue
