#include "sidecar/reload.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <csignal>
#include <ctime>

#include "common/base/log.h"
#include "sidecar/signals.h"

namespace aof::sidecar {
namespace {

std::string fingerprint(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "missing";
  return std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
         std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

void add_files(const std::vector<config::SecretRef>& refs, std::vector<std::string>& out) {
  for (const auto& ref : refs) {
    if (!ref.value_file.empty()) out.push_back(ref.value_file);
  }
}

}  // namespace

std::vector<std::string> secret_files(const LoadedDaemon& daemon) {
  std::vector<std::string> files;
  for (const auto& [name, platform] : daemon.config.platforms) {
    add_files(platform.webhook_secrets, files);
  }
  if (daemon.resources) {
    for (const auto& [name, trigger] : daemon.resources->triggers) {
      add_files(trigger.webhook_secrets, files);
    }
  }
  return files;
}

FileChanges::FileChanges(std::vector<std::string> paths) : paths_(std::move(paths)) {
  for (const auto& path : paths_) last_.push_back(fingerprint(path));
}

bool FileChanges::changed() {
  bool any = false;
  for (std::size_t i = 0; i < paths_.size(); ++i) {
    auto now = fingerprint(paths_[i]);
    if (now != last_[i]) {
      last_[i] = std::move(now);
      any = true;
    }
  }
  return any;
}

int serve_until_shutdown(const StartupFlags& flags, const LoadedDaemon& started,
                         const ApplyReload& apply, std::chrono::milliseconds poll) {
  auto log = log::get(log::Component::kSidecar);
  FileChanges secrets(secret_files(started));
  const auto reload = [&](const char* why) {
    log->info("{}: reloading the configuration", why);
    auto loaded = load_daemon(flags, config::process_env());
    if (!loaded.ok()) {
      log->error("reload failed ({}); still running the previous configuration",
                 loaded.error().message());
      return;
    }
    if (auto applied = apply(*loaded); !applied.ok()) {
      log->error("reload failed: {}; still running the previous configuration",
                 applied.error().message());
      return;
    }
    secrets = FileChanges(secret_files(*loaded));
    log->info(
        "reloaded: {} triggers, {} flows, {} agents, {} fleets (spec.server, queue, gateway "
        "and worker changes apply on restart)",
        loaded->resources->triggers.size(), loaded->resources->flows.size(),
        loaded->resources->agents.size(), loaded->resources->fleets.size());
  };
  while (true) {
    const auto sig = wait_for_signal_for(poll);
    if (!sig) {
      if (secrets.changed()) reload("a secret file changed");
    } else if (*sig == SIGHUP) {
      reload("SIGHUP");
    } else {
      return *sig;
    }
  }
}

}  // namespace aof::sidecar
