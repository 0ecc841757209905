#pragma once
// Every subcommand, one file each; each adds itself to the app and, when chosen, stores its
// exit code in `exit_code`. aof_main.cc and aof_work_main.cc list which binary has which.

namespace CLI {
class App;
}

namespace aof::cli {

void add_serve_command(CLI::App& app, int& exit_code);     // aof serve
void add_validate_command(CLI::App& app, int& exit_code);  // aof validate
void add_sign_command(CLI::App& app, int& exit_code);      // aof sign
void add_run_command(CLI::App& app, int& exit_code);       // aof-work run
void add_dlq_command(CLI::App& app, int& exit_code);       // aof dlq list|show|replay|purge
void add_events_command(CLI::App& app, int& exit_code);    // aof events show
void add_stats_command(CLI::App& app, int& exit_code);     // aof stats
void add_drain_commands(CLI::App& app, int& exit_code);    // aof drain, aof resume
void add_trigger_command(CLI::App& app, int& exit_code);   // aof trigger test
void add_flow_command(CLI::App& app, int& exit_code);      // aof flow approve

// Parses argv into `app` and runs the chosen subcommand; returns the process exit code
// (usage errors: 2; --help and --version: 0).
int run_app(CLI::App& app, int argc, char** argv, const int& exit_code);

}  // namespace aof::cli
