// The state store on the P-state KV bucket. Keys are base64url-encoded (KV keys allow only
// [-/_=.a-zA-Z0-9]), so any state key works. NATS 2.9 KV has only a bucket-wide MaxAge, and
// state keys need per-key TTLs (0 = forever), so each value carries its own expiry:
// "<expiry unix ms or 0>|<bytes>"; an expired value counts as absent and is overwritten by
// revision like any other. The bucket keeps one revision per key and is bounded in bytes
// (nats_names.cc); expired keys that are never touched again stay until erased.
// compare_and_set and put_if_absent use KV revisions (create / update with the last
// revision), so the check and the write are one step on the server.
#include "common/queue/nats/nats_client.h"
#include "common/queue/nats/nats_names.h"
#include "common/queue/nats/nats_queue.h"

namespace aof::queue {
namespace {

struct Stored {
  std::string value;
  std::uint64_t revision = 0;
  bool live = false;  // present and not expired
};

class NatsState final : public StateStore {
 public:
  NatsState(const config::QueueConfig& config, std::shared_ptr<NatsClient> client)
      : bucket_(NatsNames(config).state_bucket), client_(std::move(client)) {}

  Result<std::optional<std::string>> get(const std::string& key) override {
    auto stored = read(key);
    if (!stored) return stored.error().with_context("state get");
    if (!*stored || !(*stored)->live) return std::optional<std::string>();
    return std::optional<std::string>(std::move((*stored)->value));
  }

  Status put(const std::string& key, const std::string& value, Millis ttl) override {
    if (auto s = check_ttl(ttl); !s) return s;
    auto put = client_->kv_put(bucket_, encode_token(key), encode(value, ttl));
    if (!put) return put.error().with_context("state put");
    return ok_status();
  }

  Result<bool> put_if_absent(const std::string& key, const std::string& value,
                             Millis ttl) override {
    return compare_and_set(key, std::nullopt, value, ttl);
  }

  Result<bool> compare_and_set(const std::string& key, const std::optional<std::string>& expected,
                               const std::string& value, Millis ttl) override {
    if (auto s = check_ttl(ttl); !s) return s.error();
    auto stored = read(key);
    if (!stored) return stored.error().with_context("state compare_and_set");
    const bool live = *stored && (*stored)->live;
    const bool matches = expected ? (live && (*stored)->value == *expected) : !live;
    if (!matches) return false;
    const std::string encoded = encode(value, ttl);
    auto written = *stored ? client_->kv_update(bucket_, encode_token(key), encoded,
                                                (*stored)->revision)
                           : client_->kv_create(bucket_, encode_token(key), encoded);
    if (!written) return written.error().with_context("state compare_and_set");
    return written->has_value();
  }

  Status erase(const std::string& key) override {
    auto erased = client_->kv_purge(bucket_, encode_token(key));
    if (!erased) return erased.error().with_context("state erase");
    return ok_status();
  }

 private:
  static Status check_ttl(Millis ttl) {
    if (ttl.count() >= 0) return ok_status();
    return Error(ErrorCode::kInvalidArgument, "state: ttl must be >= 0 (0 = no expiry)");
  }

  static long long now_ms() { return to_unix_ms(SystemClock::instance().now()); }

  static std::string encode(const std::string& value, Millis ttl) {
    const long long expiry = ttl.count() > 0 ? now_ms() + ttl.count() : 0;
    return std::to_string(expiry) + "|" + value;
  }

  // The stored entry (also when expired, for its revision); nullopt when absent.
  Result<std::optional<Stored>> read(const std::string& key) {
    auto entry = client_->kv_get(bucket_, encode_token(key));
    if (!entry) return entry.error();
    if (!*entry) return std::optional<Stored>();
    const std::string& raw = (*entry)->value;
    const auto bar = raw.find('|');
    if (bar == std::string::npos) {
      return Error(ErrorCode::kInternal, "state: the stored value has no expiry prefix");
    }
    const long long expiry = std::atoll(raw.substr(0, bar).c_str());
    return std::optional<Stored>(
        Stored{raw.substr(bar + 1), (*entry)->revision, expiry == 0 || expiry > now_ms()});
  }

  const std::string bucket_;
  std::shared_ptr<NatsClient> client_;
};

}  // namespace

std::shared_ptr<StateStore> make_nats_state(const config::QueueConfig& config,
                                            std::shared_ptr<NatsClient> client) {
  return std::make_shared<NatsState>(config, std::move(client));
}

}  // namespace aof::queue
