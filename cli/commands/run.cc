// aof-work run: the worker role alone, on a broker.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands/commands.h"
#include "cli/commands/daemon_roles.h"
#include "cli/commands/exit_codes.h"
#include "cli/commands/flags.h"
#include "sidecar/signals.h"

namespace aof::cli {
namespace {

int run_worker(const sidecar::StartupFlags& flags, const std::string& consumer) {
  sidecar::block_shutdown_signals();
  auto loaded = sidecar::load_daemon(flags, config::process_env());
  if (!loaded.ok()) {
    std::cerr << "aof-work run: invalid configuration (see above); nothing started\n";
    return exit_code_for(loaded.error());
  }
  if (loaded->config.queue.type == config::QueueType::kMemory) {
    std::cerr << "aof-work run: spec.queue.type is memory, which lives inside one process, so a "
                 "separate worker has nothing to consume. Run `aof serve` (standalone), or set "
                 "spec.queue.type to redis or nats (Redis Streams arrives with issue 3, NATS "
                 "JetStream with issue 4).\n";
    return kExitUsage;
  }
  Roles roles;
  roles.gateway = false;
  roles.consumer = consumer;
  return run_roles(*loaded, roles, "aof-work run");
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<sidecar::StartupFlags>();
  auto consumer = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("run", "Consume events and execute their targets");
  add_config_flags(*cmd, *flags);
  cmd->add_option("--concurrency", flags->concurrency, "Executions in parallel");
  cmd->add_option("--consumer", *consumer, "Consumer name on the broker (default: hostname-pid)");
  cmd->callback([flags, consumer, &exit_code] { exit_code = run_worker(*flags, *consumer); });
}

}  // namespace aof::cli
