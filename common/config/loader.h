#pragma once
// Loading DaemonConfig and AOF resources from YAML, strictly (DESIGN §3). The same loader
// serves every binary and `aof validate`. Never throws; findings come back as Diagnostics
// (errors name file:line: yaml.path: message). Blocking file I/O; thread-compatible.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/config/daemon_config.h"
#include "common/config/diagnostics.h"
#include "common/config/resources.h"

namespace aof::config {

// Reads an environment variable; returns nullptr when unset. Injected so tests need no setenv.
using EnvLookup = std::function<const char*(const char*)>;
EnvLookup process_env();

struct DaemonConfigLoad {
  std::optional<DaemonConfig> config;  // set when there are no errors
  Diagnostics diagnostics;             // errors and warnings, in file order
};

// Loads a DaemonConfig file (kind: DaemonConfig). Unknown keys in our sections (mode, queue,
// gateway, worker, webhook_secrets) are errors; AOF keys we do not use are warnings;
// out-of-range values are errors, never clamped.
DaemonConfigLoad load_daemon_config(const std::string& path);

// Parses DaemonConfig YAML text; `file` is used in diagnostics only.
DaemonConfigLoad parse_daemon_config(const std::string& yaml_text, const std::string& file);

// Applies AOF_* environment overrides on top of the file (precedence: flags > env > file):
// AOF_MODE, AOF_HOST, AOF_PORT, AOF_QUEUE_TYPE, AOF_QUEUE_URL, AOF_AGENTS_DIR, AOF_FLOWS_DIR,
// AOF_TRIGGERS_DIR, AOF_WORKER_CONCURRENCY. Bad values are errors naming the variable.
Diagnostics apply_environment(DaemonConfig& config, const EnvLookup& env);

struct ResourceLoad {
  ResourceSet resources;
  Diagnostics diagnostics;  // a file with errors is skipped (and reported); others still load
};

// Loads Trigger, AgentFlow, Agent, AgentFleet and Context resources from the configured
// directories (non-recursive, *.yaml and *.yml, multi-document files accepted; one directory
// may hold any kinds). A relative directory resolves against the working directory, as in
// AOF; if nothing exists there, against the config file's directory.
// Cross-references (trigger → flow/agent/fleet names) are checked and reported as errors.
ResourceLoad load_resources(const DaemonConfig& config);

// Loads resources from explicit files or directories (non-recursive), as load_resources does,
// cross-references included. `flows.enabled: false` in a DaemonConfig only skips reading
// flows.directory; unknown keys inside resources are warnings (AOF ignores them).
ResourceLoad load_resource_paths(const std::vector<std::string>& paths);

// `aof validate PATH...`: every YAML file under each path (directories non-recursive unless
// `recursive`), any kind (DaemonConfig included), structure only: not whether secrets are set
// or directories exist.
Diagnostics validate_paths(const std::vector<std::string>& paths, bool recursive = false);

}  // namespace aof::config
