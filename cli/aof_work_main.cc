// aof-work: consumes events from the broker and executes AOF agents, fleets and flows.
#include <CLI/CLI.hpp>

#include "cli/commands/commands.h"
#include "sidecar/exit_codes.h"

int main(int argc, char** argv) {
  CLI::App app{"aof-work: execute AOF events from the queue", "aof-work"};
  app.set_version_flag("--version", AOF_VERSION);
  app.require_subcommand(1);
  int exit_code = aof::kExitOk;
  aof::cli::add_run_command(app, exit_code);
  return aof::cli::run_app(app, argc, argv, exit_code);
}
