#include "cli/commands/flags.h"

#include <CLI/CLI.hpp>

namespace aof::cli {
namespace {

// CLI11 2.1 binds std::optional<T> directly.
template <typename T>
void optional_option(CLI::App& command, const std::string& names, std::optional<T>& target,
                     const std::string& help) {
  command.add_option(names, target, help);
}

}  // namespace

void add_config_flags(CLI::App& command, sidecar::StartupFlags& flags) {
  command.add_option("-c,--config", flags.config_path, "DaemonConfig file (AOF's format)");
  optional_option(command, "--queue-url", flags.queue_url,
                  "Broker URL (redis://, rediss://, nats://, tls://); overrides the config");
}

void add_serve_flags(CLI::App& command, sidecar::StartupFlags& flags) {
  optional_option(command, "-p,--port", flags.port, "Listen port (0 = any free port)");
  optional_option(command, "--host", flags.host, "Listen address");
  optional_option(command, "--agents-dir", flags.agents_dir, "Directory of Agent/AgentFleet files");
  optional_option(command, "--flows-dir", flags.flows_dir, "Directory of AgentFlow files");
  optional_option(command, "--triggers-dir", flags.triggers_dir, "Directory of Trigger files");
}

}  // namespace aof::cli
