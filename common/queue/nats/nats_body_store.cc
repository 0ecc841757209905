// Bodies stored aside on NATS (body_aside.h): chunk n of body <key> is key <key>.<n> of KV
// bucket P-bodies, whose MaxAge is queue.retention.body_ttl_secs. A chunk is at most the
// server's max_payload less kKvAllowance (the KV subject), so a 1 MiB server takes 1020 KiB
// chunks. Removal purges the keys (no delete markers are left).
#include "common/queue/body_aside.h"
#include "common/queue/nats/nats_client.h"
#include "common/queue/nats/nats_names.h"
#include "common/queue/nats/nats_queue.h"

namespace aof::queue {
namespace {

// Room in max_payload for what a KV put adds to the chunk (subject "$KV.<bucket>.<key>.<n>").
constexpr std::int64_t kKvAllowance = 4096;

class NatsBodyStore final : public BodyStore {
 public:
  NatsBodyStore(const config::QueueConfig& config, std::shared_ptr<NatsClient> client)
      : bucket_(NatsNames(config).body_bucket),
        limit_(static_cast<std::size_t>(std::max<std::int64_t>(
            std::min(config.max_inline_body_bytes, client->max_payload() - kKvAllowance),
            static_cast<std::int64_t>(kMinBodyChunk)))),
        client_(std::move(client)) {}

  std::size_t inline_limit() const override { return limit_; }

  Status put(const std::string& key, std::size_t first,
             const std::vector<std::string_view>& chunks) override {
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      auto put = client_->kv_put(bucket_, chunk_key(key, first + i), chunks[i]);
      if (!put) return put.error().with_context("storing a body");
    }
    return ok_status();
  }

  Result<std::optional<std::string>> get(const std::string& key, std::size_t index) override {
    auto entry = client_->kv_get(bucket_, chunk_key(key, index));
    if (!entry) return entry.error().with_context("reading a body");
    if (!*entry) return std::optional<std::string>();
    return std::optional<std::string>(std::move((*entry)->value));
  }

  Status remove(const std::string& key, std::size_t count) override {
    for (std::size_t i = 0; i < count; ++i) {
      if (auto purged = client_->kv_purge(bucket_, chunk_key(key, i)); !purged) {
        return purged.error().with_context("removing a body");
      }
    }
    return ok_status();
  }

  Result<std::int64_t> stored_chunks() override {
    auto counts = client_->stream_counts("KV_" + bucket_);
    if (!counts) return counts.error().with_context("counting stored bodies");
    return static_cast<std::int64_t>(counts->msgs);
  }

  std::string name() const override { return bucket_; }

 private:
  static std::string chunk_key(const std::string& key, std::size_t index) {
    return key + "." + std::to_string(index);
  }

  const std::string bucket_;
  const std::size_t limit_;
  std::shared_ptr<NatsClient> client_;
};

}  // namespace

std::shared_ptr<BodyStore> make_nats_body_store(const config::QueueConfig& config,
                                                std::shared_ptr<NatsClient> client) {
  return std::make_shared<NatsBodyStore>(config, std::move(client));
}

}  // namespace aof::queue
