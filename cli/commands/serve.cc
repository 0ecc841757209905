// aof serve: AOF's `aofctl serve` with --mode. Standalone runs the gateway and a worker in one
// process; gateway and worker modes run one role on a broker.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>

#include "cli/commands/commands.h"
#include "cli/commands/daemon_roles.h"
#include "cli/commands/exit_codes.h"
#include "cli/commands/flags.h"
#include "common/base/log.h"
#include "sidecar/signals.h"

namespace aof::cli {
namespace {

int run_serve(const sidecar::StartupFlags& flags) {
  sidecar::block_shutdown_signals();
  auto loaded = sidecar::load_daemon(flags, config::process_env());
  if (!loaded.ok()) {
    std::cerr << "aof serve: invalid configuration (see above); nothing started\n";
    return exit_code_for(loaded.error());
  }
  const auto mode = loaded->config.mode;
  const bool gateway = mode != config::Mode::kWorker;
  const bool worker = mode != config::Mode::kGateway;
  if (mode != config::Mode::kStandalone &&
      loaded->config.queue.type == config::QueueType::kMemory) {
    std::cerr << "aof serve: --mode=" << config::to_string(mode)
              << " needs a broker shared with other processes, but spec.queue.type is memory "
                 "(the embedded queue lives inside one process). Use --mode=standalone, or set "
                 "spec.queue.type to redis or nats (Redis Streams arrives with issue 3, NATS "
                 "JetStream with issue 4).\n";
    return kExitUsage;
  }
  Roles roles;
  roles.gateway = gateway;
  roles.worker = worker;
  return run_roles(*loaded, roles, "aof serve");
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
