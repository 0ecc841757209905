#pragma once
// Logging: one named spdlog logger per component, from a closed list. Field names on lines
// about events are fixed: event_id, platform, tenant, attempt, backend. Never log secrets or
// payloads at info.

#include <memory>

namespace spdlog {
class logger;
}

namespace aof::log {

enum class Component { kConfig, kQueue, kIngest, kSidecar, kWorker, kRuntime, kCli };

// The logger of `component`; created on first use, shared and thread-safe. Writes to stderr.
std::shared_ptr<spdlog::logger> get(Component component);

// Sets the level of every component's logger: "trace", "debug", "info", "warn", "error", "off".
// Unknown names keep the current level and return false.
bool set_level(const char* level);

}  // namespace aof::log
