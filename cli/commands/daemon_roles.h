#pragma once
// Runs the gateway and/or worker roles on one broker until SIGTERM/SIGINT, then drains in
// order: readiness false, HTTP stops after in-flight requests, the worker finishes or
// releases its events. Used by `aof serve` (any mode) and `aof-work run`.

#include <optional>
#include <string>

#include "sidecar/startup.h"

namespace aof::cli {

struct Roles {
  bool gateway = true;
  bool worker = true;
  std::string consumer;  // "" = <hostname>-<pid>
};

// Blocks shutdown signals, loads the config (flags > env > file), refuses a role that needs a
// shared broker on the process-local memory queue, then runs the roles: those given, or
// (nullopt) those of spec.mode. Returns the process exit code.
int run_daemon(const sidecar::StartupFlags& flags, std::optional<Roles> roles, const char* program);

}  // namespace aof::cli
