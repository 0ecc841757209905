// Bodies stored aside on Redis (body_aside.h): chunk n of body <key> is the string key
// P:body:<key>:<n>, written with PX = queue.retention.body_ttl_secs. All chunks of a body go
// in one pipelined round trip; reads are one GET per chunk (at most inline_limit() bytes each).
#include "common/queue/body_aside.h"
#include "common/queue/redis/redis_keys.h"
#include "common/queue/redis/redis_queue.h"

namespace aof::queue {
namespace {

class RedisBodyStore final : public BodyStore {
 public:
  RedisBodyStore(const config::QueueConfig& config, std::shared_ptr<RedisPool> pool)
      : prefix_(RedisKeys(config).body_prefix),
        ttl_ms_(std::to_string(config.retention.body_ttl_secs * 1000)),
        limit_(static_cast<std::size_t>(config.max_inline_body_bytes)),
        pool_(std::move(pool)) {}

  std::size_t inline_limit() const override { return limit_; }

  Status put(const std::string& key, std::size_t first,
             const std::vector<std::string_view>& chunks) override {
    std::string pipeline;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      pipeline += format_command({"SET", chunk_key(key, first + i), chunks[i], "PX", ttl_ms_});
    }
    auto connection = pool_->acquire();
    if (!connection) return connection.error().with_context("storing a body");
    auto replies = (*connection)->round_trip(pipeline, chunks.size());
    if (!replies) return replies.error().with_context("storing a body");
    for (const auto& reply : *replies) {
      if (reply.is_error()) return redis_error(reply, "storing a body");
    }
    return ok_status();
  }

  Result<std::optional<std::string>> get(const std::string& key, std::size_t index) override {
    auto reply = pool_->command({"GET", chunk_key(key, index)});
    if (!reply) return reply.error().with_context("reading a body");
    if (reply->is_nil()) return std::optional<std::string>();
    if (reply->type != RedisReply::Type::kString) {
      return Error(ErrorCode::kInternal,
                   "reading a body: " + chunk_key(key, index) + " is not a string");
    }
    return std::optional<std::string>(std::move(reply->str));
  }

  Status remove(const std::string& key, std::size_t count) override {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < count; ++i) keys.push_back(chunk_key(key, i));
    std::vector<std::string_view> args{"DEL"};
    args.insert(args.end(), keys.begin(), keys.end());
    auto reply = pool_->command(args);
    if (!reply) return reply.error().with_context("removing a body");
    return ok_status();
  }

  Result<std::int64_t> stored_chunks() override {
    std::int64_t count = 0;
    std::string cursor = "0";
    const std::string match = prefix_ + "*";
    do {
      auto reply = pool_->command({"SCAN", cursor, "MATCH", match, "COUNT", "1000"});
      if (!reply) return reply.error().with_context("counting stored bodies");
      cursor = reply->at(0).str;
      count += static_cast<std::int64_t>(reply->at(1).elements.size());
    } while (cursor != "0" && !cursor.empty());
    return count;
  }

  std::string name() const override { return prefix_ + "*"; }

 private:
  std::string chunk_key(const std::string& key, std::size_t index) const {
    return prefix_ + key + ":" + std::to_string(index);
  }

  const std::string prefix_;
  const std::string ttl_ms_;
  const std::size_t limit_;
  std::shared_ptr<RedisPool> pool_;
};

}  // namespace

std::shared_ptr<BodyStore> make_redis_body_store(const config::QueueConfig& config,
                                                 std::shared_ptr<RedisPool> pool) {
  return std::make_shared<RedisBodyStore>(config, std::move(pool));
}

}  // namespace aof::queue
