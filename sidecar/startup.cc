#include "sidecar/startup.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "common/base/log.h"

namespace aof::sidecar {
namespace {

// Logs every diagnostic; returns the first error's text joined with the others, if any.
std::optional<std::string> report(const config::Diagnostics& diagnostics) {
  auto log = log::get(log::Component::kConfig);
  std::string errors;
  for (const auto& d : diagnostics) {
    if (d.severity == config::Severity::kWarning) {
      log->warn("{}", d.to_string());
    } else {
      log->error("{}", d.to_string());
      errors += (errors.empty() ? "" : "\n") + d.to_string();
    }
  }
  if (errors.empty()) return std::nullopt;
  return errors;
}

Status set_queue_url(const std::string& url, config::QueueConfig& queue) {
  if (url.rfind("redis://", 0) == 0 || url.rfind("rediss://", 0) == 0) {
    queue.type = config::QueueType::kRedis;
  } else if (url.rfind("nats://", 0) == 0 || url.rfind("tls://", 0) == 0) {
    queue.type = config::QueueType::kNats;
  } else if (url == "memory" || url == "memory://") {
    queue.type = config::QueueType::kMemory;
  } else {
    return Error(ErrorCode::kInvalidArgument,
                 "--queue-url: must start with redis://, rediss://, nats://, tls:// or be "
                 "memory://");
  }
  queue.url = url;
  return ok_status();
}

}  // namespace

Status apply_flags(const StartupFlags& flags, config::DaemonConfig& config) {
  if (flags.mode) {
    if (*flags.mode == "standalone")
      config.mode = config::Mode::kStandalone;
    else if (*flags.mode == "gateway")
      config.mode = config::Mode::kGateway;
    else if (*flags.mode == "worker")
      config.mode = config::Mode::kWorker;
    else
      return Error(ErrorCode::kInvalidArgument,
                   "--mode: must be gateway, worker or standalone (got \"" + *flags.mode + "\")");
  }
  if (flags.host) config.server.host = *flags.host;
  if (flags.port) {
    if (*flags.port < 0 || *flags.port > 65535) {
      return Error(ErrorCode::kInvalidArgument, "--port: must be from 0 to 65535");
    }
    config.server.port = *flags.port;
  }
  // A directory given on the command line is relative to where the command runs, not to the
  // config file (which is what relative directories inside the file are relative to).
  const auto absolute = [](const std::string& dir) {
    return std::filesystem::absolute(dir).lexically_normal().string();
  };
  if (flags.agents_dir) config.agents.directory = absolute(*flags.agents_dir);
  if (flags.flows_dir) config.flows.directory = absolute(*flags.flows_dir);
  if (flags.triggers_dir) config.triggers.directory = absolute(*flags.triggers_dir);
  if (flags.concurrency) {
    if (*flags.concurrency < 1) {
      return Error(ErrorCode::kInvalidArgument, "--concurrency: must be >= 1");
    }
    config.worker.concurrency = *flags.concurrency;
  }
  if (flags.queue_url) return set_queue_url(*flags.queue_url, config.queue);
  return ok_status();
}

Result<LoadedDaemon> load_daemon(const StartupFlags& flags, const config::EnvLookup& env,
                                 bool load_resources) {
  LoadedDaemon loaded;
  if (!flags.config_path.empty()) {
    auto file = config::load_daemon_config(flags.config_path);
    if (auto errors = report(file.diagnostics)) {
      return Error(ErrorCode::kInvalidArgument, *errors);
    }
    loaded.config = std::move(*file.config);
  }
  if (auto errors = report(config::apply_environment(loaded.config, env))) {
    return Error(ErrorCode::kInvalidArgument, *errors);
  }
  if (auto applied = apply_flags(flags, loaded.config); !applied.ok()) return applied.error();
  if (!load_resources) {
    loaded.resources = std::make_shared<config::ResourceSet>();
    return loaded;
  }
  // As AOF does, a resource file with errors is skipped and the rest still serve: existing
  // AOF directories (which hold files AOF has always skipped) work unchanged. The errors are
  // logged at error level; `aof validate` in CI is where they should be caught.
  auto resources = config::load_resources(loaded.config);
  if (report(resources.diagnostics)) {
    log::get(log::Component::kConfig)
        ->error(
            "resources with errors were skipped (listed above); events bound to them will "
            "fail into the dead letters. Run `aof validate` on the directories to fix them");
  }
  loaded.resources = std::make_shared<const config::ResourceSet>(std::move(resources.resources));
  return loaded;
}

}  // namespace aof::sidecar
