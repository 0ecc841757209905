// aof serve: AOF's `aofctl serve` with --mode. Standalone runs the gateway and a worker in one
// process; gateway and worker modes run one role on a broker.
#include <CLI/CLI.hpp>

#include "cli/commands/commands.h"
#include "cli/commands/daemon_roles.h"
#include "cli/commands/flags.h"

namespace aof::cli {
namespace {

int run_serve(const sidecar::StartupFlags& flags) {
  return run_daemon(flags, std::nullopt, "aof serve");
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<sidecar::StartupFlags>();
  auto* cmd = app.add_subcommand("serve", "Run the gateway, a worker, or both (standalone)");
  add_config_flags(*cmd, *flags);
  add_serve_flags(*cmd, *flags);
  cmd->add_option("--mode", flags->mode, "standalone (default) | gateway | worker");
  cmd->add_option("--concurrency", flags->concurrency, "Worker slots (spec.worker.concurrency)");
  cmd->callback([flags, &exit_code] { exit_code = run_serve(*flags); });
}

}  // namespace aof::cli
