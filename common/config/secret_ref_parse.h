#pragma once
// Private to common/config: reading SecretRefs from DaemonConfig platforms and Trigger config.

#include <string>
#include <vector>

#include "common/config/daemon_config.h"
#include "common/config/yaml_walk.h"

namespace aof::config {

// `webhook_secrets: [{value_env | value_file | value, not_before, not_after}]` (ours; strict).
void read_secret_list(Walker& walker, const Field& field, std::vector<SecretRef>& out);

// A secret written in place (`webhook_secret: abc`): kept, and warned about with `hint`
// ("literal secret; <hint>"). The value itself never reaches a message.
SecretRef literal_secret(Walker& walker, const Field& field, const std::string& hint);

// A secret named by an environment variable (`webhook_secret_env: NAME`).
SecretRef env_secret(Walker& walker, const Field& field);

// Unix seconds, or an RFC 3339 time ("2025-01-01T00:00:00Z", "...+02:00").
std::optional<std::int64_t> parse_time(const std::string& text);

}  // namespace aof::config
