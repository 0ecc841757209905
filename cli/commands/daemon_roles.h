#pragma once
// Runs the gateway and/or worker roles on one broker until SIGTERM/SIGINT, then drains in
// order: readiness false, HTTP stops after in-flight requests, the worker finishes or
// releases its events. Used by `aof serve` (any mode) and `aof-work run`.

#include <string>

#include "sidecar/startup.h"

namespace aof::cli {

struct Roles {
  bool gateway = true;
  bool worker = true;
  std::string consumer;  // "" = <hostname>-<pid>
};

// Returns the process exit code. Shutdown signals must already be blocked.
int run_roles(const sidecar::LoadedDaemon& daemon, const Roles& roles, const char* program);

}  // namespace aof::cli
