#include "common/base/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <mutex>

namespace aof::log {
namespace {

constexpr std::array<const char*, 7> kNames = {"config", "queue",   "ingest", "sidecar",
                                               "worker", "runtime", "cli"};

std::mutex& registry_mutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

std::shared_ptr<spdlog::logger> get(Component component) {
  const char* name = kNames[static_cast<size_t>(component)];
  std::lock_guard lock(registry_mutex());
  if (auto existing = spdlog::get(name)) return existing;
  auto logger = spdlog::stderr_color_mt(name);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ [%n] %v", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::get_level());
  return logger;
}

bool set_level(const char* level) {
  const auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && std::string(level) != "off") return false;
  spdlog::set_level(parsed);
  return true;
}

}  // namespace aof::log
