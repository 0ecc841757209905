// aof-work run: the worker role alone, on a broker.
#include <CLI/CLI.hpp>

#include "cli/commands/commands.h"
#include "cli/commands/daemon_roles.h"
#include "cli/commands/flags.h"

namespace aof::cli {
namespace {

int run_worker(const sidecar::StartupFlags& flags, const std::string& consumer) {
  Roles roles;
  roles.gateway = false;
  roles.consumer = consumer;
  return run_daemon(flags, roles, "aof-work run");
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
