// The embedded state store: a map with TTLs measured on the injected Clock.
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/queue/memory.h"

namespace aof::queue {
namespace {

class MemoryState final : public StateStore {
 public:
  explicit MemoryState(Clock& clock) : clock_(clock) {}

  Result<std::optional<std::string>> get(const std::string& key) override {
    std::lock_guard lock(mu_);
    const Entry* entry = live_locked(key);
    if (!entry) return std::optional<std::string>();
    return std::optional<std::string>(entry->value);
  }

  Status put(const std::string& key, const std::string& value, Millis ttl) override {
    if (auto s = check_ttl(ttl); !s) return s;
    std::lock_guard lock(mu_);
    set_locked(key, value, ttl);
    return ok_status();
  }

  Result<bool> put_if_absent(const std::string& key, const std::string& value,
                             Millis ttl) override {
    return compare_and_set(key, std::nullopt, value, ttl);
  }

  Result<bool> compare_and_set(const std::string& key, const std::optional<std::string>& expected,
                               const std::string& value, Millis ttl) override {
    if (auto s = check_ttl(ttl); !s) return s.error();
    std::lock_guard lock(mu_);
    const Entry* entry = live_locked(key);
    const bool matches = expected ? (entry && entry->value == *expected) : !entry;
    if (matches) set_locked(key, value, ttl);
    return matches;
  }

  Status erase(const std::string& key) override {
    std::lock_guard lock(mu_);
    entries_.erase(key);
    return ok_status();
  }

 private:
  struct Entry {
    std::string value;
    std::optional<TimePoint> expires_at;  // nullopt = no TTL
  };

  // Expired keys are swept every this many writes, so keys written once and never read
  // again do not accumulate forever.
  static constexpr int kSweepEvery = 1024;

  static Status check_ttl(Millis ttl) {
    if (ttl.count() >= 0) return ok_status();
    return Error(ErrorCode::kInvalidArgument, "state: ttl must be >= 0 (0 = no expiry)");
  }

  bool expired(const Entry& entry, TimePoint now) const {
    return entry.expires_at && *entry.expires_at <= now;
  }

  // The entry of `key` if present and unexpired; an expired one is removed on the way.
  const Entry* live_locked(const std::string& key) {
    const auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    if (!expired(it->second, clock_.now())) return &it->second;
    entries_.erase(it);
    return nullptr;
  }

  void set_locked(const std::string& key, const std::string& value, Millis ttl) {
    const TimePoint now = clock_.now();
    std::optional<TimePoint> expires_at;
    if (ttl.count() > 0) expires_at = now + ttl;
    entries_[key] = Entry{value, expires_at};
    if (++writes_since_sweep_ >= kSweepEvery) sweep_locked(now);
  }

  void sweep_locked(TimePoint now) {
    writes_since_sweep_ = 0;
    std::erase_if(entries_, [&](const auto& item) { return expired(item.second, now); });
  }

  Clock& clock_;
  std::mutex mu_;  // guards entries_ and writes_since_sweep_
  std::unordered_map<std::string, Entry> entries_;
  int writes_since_sweep_ = 0;
};

}  // namespace

std::shared_ptr<StateStore> make_memory_state(Clock& clock) {
  return std::make_shared<MemoryState>(clock);
}

}  // namespace aof::queue
