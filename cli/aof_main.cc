// aof: the operator's CLI and `aof serve`. Subcommands live in commands/, one file each.
#include <CLI/CLI.hpp>

#include "cli/commands/commands.h"
#include "sidecar/exit_codes.h"

int main(int argc, char** argv) {
  CLI::App app{"aof: operate aof-scale (serve, dlq, events, stats, drain, resume, validate, sign)",
               "aof"};
  app.set_version_flag("--version", AOF_VERSION);
  app.require_subcommand(1);
  int exit_code = aof::kExitOk;
  aof::cli::add_serve_command(app, exit_code);
  aof::cli::add_validate_command(app, exit_code);
  aof::cli::add_sign_command(app, exit_code);
  aof::cli::add_dlq_command(app, exit_code);
  aof::cli::add_events_command(app, exit_code);
  aof::cli::add_stats_command(app, exit_code);
  aof::cli::add_drain_commands(app, exit_code);
  aof::cli::add_flow_command(app, exit_code);
  aof::cli::add_trigger_command(app, exit_code);
  return aof::cli::run_app(app, argc, argv, exit_code);
}
