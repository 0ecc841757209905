#pragma once
// Resolving SecretRefs into the bytes used for verification. Secrets never appear in logs or
// error messages: errors name the reference (env var, file path, origin), never its content.

#include <cstdint>
#include <string>
#include <vector>

#include "common/base/result.h"
#include "common/config/daemon_config.h"
#include "common/config/loader.h"

namespace aof::config {

struct Secret {
  std::string bytes;                       // the secret itself
  std::optional<std::int64_t> not_before;  // unix seconds
  std::optional<std::int64_t> not_after;   // unix seconds
  std::string label;                       // "env GITHUB_WEBHOOK_SECRET" / "file /x" / "literal"

  // Whether the secret may verify a request at unix time `now_secs`.
  bool active_at(std::int64_t now_secs) const;
};

// Resolves each ref: env var (must be set and non-empty), file (read, trailing newline
// trimmed, must be non-empty), or literal. Errors: kInvalidArgument naming the missing var or
// unreadable file and where it was configured.
Result<std::vector<Secret>> resolve_secrets(const std::vector<SecretRef>& refs,
                                            const EnvLookup& env);

}  // namespace aof::config
