#pragma once
// Start-up shared by every binary: DaemonConfig file, then AOF_* environment, then flags
// (DESIGN §3 precedence), then the AOF resources from the configured directories. Findings
// are logged (warnings once each). An error in the DaemonConfig, the environment or a flag
// fails start-up with kInvalidArgument (exit 2); a resource file with errors is skipped and
// logged, as AOF skips it, so existing AOF directories keep working.

#include <memory>
#include <optional>
#include <string>

#include "common/base/result.h"
#include "common/config/daemon_config.h"
#include "common/config/loader.h"
#include "common/config/resources.h"

namespace aof::sidecar {

// Command-line overrides; unset ones leave the config's value.
struct StartupFlags {
  std::string config_path;                  // -c/--config; "" = built-in defaults
  std::optional<std::string> mode;          // --mode
  std::optional<std::string> host;          // --host
  std::optional<int> port;                  // -p/--port; 0 = any free port (logged)
  std::optional<std::string> agents_dir;    // --agents-dir
  std::optional<std::string> flows_dir;     // --flows-dir
  std::optional<std::string> triggers_dir;  // --triggers-dir
  std::optional<std::string> queue_url;     // --queue-url (implies the type from its scheme)
  std::optional<int> concurrency;           // --concurrency (workers)
};

struct LoadedDaemon {
  config::DaemonConfig config;
  std::shared_ptr<const config::ResourceSet> resources;
};

// Loads everything; logs each diagnostic. `load_resources` false skips the directories
// (operator commands that only need the broker).
Result<LoadedDaemon> load_daemon(const StartupFlags& flags, const config::EnvLookup& env,
                                 bool load_resources = true);

// Applies flags onto a loaded config. Errors name the flag: "--mode: must be gateway, worker
// or standalone".
Status apply_flags(const StartupFlags& flags, config::DaemonConfig& config);

}  // namespace aof::sidecar
