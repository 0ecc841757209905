#pragma once
// The flags every daemon-like command shares, bound onto sidecar::StartupFlags.

#include "sidecar/startup.h"

namespace CLI {
class App;
}

namespace aof::cli {

// -c/--config, --queue-url.
void add_config_flags(CLI::App& command, sidecar::StartupFlags& flags);

// AOF's `aofctl serve` flags: -p/--port, --host, --agents-dir, --flows-dir, --triggers-dir.
void add_serve_flags(CLI::App& command, sidecar::StartupFlags& flags);

}  // namespace aof::cli
