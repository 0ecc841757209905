#pragma once
// The state seam (DESIGN §5): a small key-value store with compare-and-set and TTL on the
// same broker as the queue. Holds dedup keys, the drain flag, the effect journal,
// conversation memory, flow checkpoints and approvals. Values are opaque bytes.
// Thread safety: every method may be called from any thread concurrently. Methods block for
// at most one broker round trip.

#include <optional>
#include <string>

#include "common/base/clock.h"
#include "common/base/result.h"

namespace aof::queue {

class StateStore {
 public:
  virtual ~StateStore() = default;

  // The value of `key`, or nullopt when absent or expired.
  virtual Result<std::optional<std::string>> get(const std::string& key) = 0;

  // Sets `key` unconditionally; ttl 0 = no expiry.
  virtual Status put(const std::string& key, const std::string& value, Millis ttl) = 0;

  // Sets `key` only if absent; true when it was set.
  virtual Result<bool> put_if_absent(const std::string& key, const std::string& value,
                                     Millis ttl) = 0;

  // Sets `key` to `value` only if its current value equals `expected` (nullopt = absent);
  // true when it was set.
  virtual Result<bool> compare_and_set(const std::string& key,
                                       const std::optional<std::string>& expected,
                                       const std::string& value, Millis ttl) = 0;

  // Removes `key`; absent keys are not an error.
  virtual Status erase(const std::string& key) = 0;
};

}  // namespace aof::queue
