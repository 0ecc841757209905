#pragma once
// Private to common/config: readers of DaemonConfig sections. Each reports into the Walker
// and fills the struct; unknown keys are errors (DESIGN §3).

#include <map>
#include <string>

#include "common/config/daemon_config.h"
#include "common/config/yaml_walk.h"

namespace aof::config {

// A whole `kind: DaemonConfig` document.
DaemonConfig read_daemon_document(Walker& walker, const Field& root);

// spec.platforms (platform_loader.cc).
void read_platforms(Walker& walker, const Field& field, std::map<std::string, PlatformConfig>& out);

// Our sections (queue_sections.cc).
void read_mode(Walker& walker, const Field& field, Mode& out);
void read_queue(Walker& walker, const Field& field, QueueConfig& out);
void read_gateway(Walker& walker, const Field& field, GatewayConfig& out);
void read_worker(Walker& walker, const Field& field, WorkerConfig& out);

// Names accepted for spec.mode and spec.queue.type.
bool parse_mode(const std::string& text, Mode& out);
bool parse_queue_type(const std::string& text, QueueType& out);
// The queue type a broker URL's scheme implies (redis://, rediss://, nats://, tls://).
std::optional<QueueType> queue_type_of_url(const std::string& url);

}  // namespace aof::config
