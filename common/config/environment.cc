// AOF_* overrides between the file and the flags (DESIGN §3: flags > env > file). A bad value
// is an error named after the variable; the value is echoed only for non-secret variables.
#include <cstdlib>
#include <filesystem>

#include "common/config/daemon_sections.h"
#include "common/config/loader.h"
#include "common/config/yaml_walk.h"

namespace aof::config {
namespace {

Diagnostic env_error(const char* name, const std::string& message) {
  return Diagnostic{Severity::kError, "", 0, name, message};
}

// Directories from the environment are relative to the working directory, as on the command
// line; made absolute so load_resources does not resolve them against the config file.
std::string absolute_dir(const std::string& dir) {
  std::error_code ignored;
  const auto absolute = std::filesystem::absolute(dir, ignored);
  return absolute.empty() ? dir : absolute.lexically_normal().string();
}

void apply_int(const char* name, const char* value, int min, int max, const std::string& message,
               int& out, Diagnostics& diagnostics) {
  const auto parsed = parse_integer(value);
  if (!parsed || *parsed < min || *parsed > max) {
    diagnostics.push_back(env_error(name, message));
    return;
  }
  out = static_cast<int>(*parsed);
}

void apply_queue_url(const char* value, bool type_set, QueueConfig& queue,
                     Diagnostics& diagnostics) {
  const auto implied = queue_type_of_url(value);
  if (!implied) {
    diagnostics.push_back(
        env_error("AOF_QUEUE_URL", "must start with redis://, rediss://, nats:// or tls://"));
    return;
  }
  queue.url = value;
  if (!type_set) queue.type = *implied;  // AOF_QUEUE_TYPE, when given, wins
}

}  // namespace

EnvLookup process_env() {
  return [](const char* name) -> const char* { return std::getenv(name); };
}

Diagnostics apply_environment(DaemonConfig& config, const EnvLookup& env) {
  Diagnostics diagnostics;
  const auto get = [&](const char* name) -> const char* {
    const char* value = env(name);
    return value != nullptr && *value != '\0' ? value : nullptr;
  };
  if (const char* v = get("AOF_MODE"); v && !parse_mode(v, config.mode)) {
    diagnostics.push_back(env_error("AOF_MODE", "must be one of: gateway, worker, standalone"));
  }
  if (const char* v = get("AOF_HOST")) config.server.host = v;
  if (const char* v = get("AOF_PORT")) {
    apply_int("AOF_PORT", v, 1, 65535, "must be an integer from 1 to 65535", config.server.port,
              diagnostics);
  }
  const char* type = get("AOF_QUEUE_TYPE");
  if (type && !parse_queue_type(type, config.queue.type)) {
    diagnostics.push_back(env_error("AOF_QUEUE_TYPE", "must be one of: memory, redis, nats"));
  }
  if (const char* v = get("AOF_QUEUE_URL"))
    apply_queue_url(v, type != nullptr, config.queue, diagnostics);
  if (const char* v = get("AOF_AGENTS_DIR")) config.agents.directory = absolute_dir(v);
  if (const char* v = get("AOF_FLOWS_DIR")) config.flows.directory = absolute_dir(v);
  if (const char* v = get("AOF_TRIGGERS_DIR")) config.triggers.directory = absolute_dir(v);
  if (const char* v = get("AOF_WORKER_CONCURRENCY")) {
    apply_int("AOF_WORKER_CONCURRENCY", v, 1, INT32_MAX, "must be an integer >= 1",
              config.worker.concurrency, diagnostics);
  }
  return diagnostics;
}

}  // namespace aof::config
