#pragma once
// Reloading without a restart (issue 6): the main thread waits for SIGTERM or SIGINT and,
// meanwhile, loads the configuration again on SIGHUP and whenever a secret file it named
// changes (a rotated Kubernetes Secret, a file rewritten by an operator). What a reload
// applies — secrets, triggers, agents, fleets, flows — is up to `apply`; the rest of the
// DaemonConfig (server, queue, gateway, worker) takes effect on the next start. A reload that
// fails (the DaemonConfig no longer valid) is logged and the running configuration stays.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "common/base/result.h"
#include "sidecar/startup.h"

namespace aof::sidecar {

// Every `value_file` a loaded daemon reads secrets from: its platforms' and its triggers'.
std::vector<std::string> secret_files(const LoadedDaemon& daemon);

// Tells whether any of a set of files changed (modification time, size, inode or existence)
// since the previous call; the first call records the state and returns false.
class FileChanges {
 public:
  explicit FileChanges(std::vector<std::string> paths);
  bool changed();

 private:
  std::vector<std::string> paths_;
  std::vector<std::string> last_;  // one stat fingerprint per path
};

// Applies a freshly loaded daemon to the running roles; an error is logged, nothing more.
using ApplyReload = std::function<Status(const LoadedDaemon&)>;

// Blocks until SIGTERM or SIGINT and returns its number. On SIGHUP, and when a secret file of
// the current configuration changed (checked every `poll`), loads `flags`' configuration
// again and hands it to `apply`. Call block_shutdown_signals() first.
int serve_until_shutdown(const StartupFlags& flags, const LoadedDaemon& started,
                         const ApplyReload& apply,
                         std::chrono::milliseconds poll = std::chrono::seconds(2));

}  // namespace aof::sidecar
