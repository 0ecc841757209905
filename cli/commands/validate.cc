// aof validate PATH...: the binaries' own loader over files and directories; structure only.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands/commands.h"
#include "common/config/loader.h"
#include "sidecar/exit_codes.h"

namespace aof::cli {
namespace {

struct ValidateArgs {
  std::vector<std::string> paths;
  bool recursive = false;
  bool quiet = false;
};

int run_validate(const ValidateArgs& args) {
  const auto diagnostics = config::validate_paths(args.paths, args.recursive);
  int errors = 0;
  int warnings = 0;
  for (const auto& d : diagnostics) {
    const bool is_error = d.severity == config::Severity::kError;
    (is_error ? errors : warnings) += 1;
    if (is_error || !args.quiet) {
      std::cerr << (is_error ? "error: " : "warning: ") << d.to_string() << "\n";
    }
  }
  std::cout << (errors ? "invalid" : "valid") << ": " << errors << " error(s), " << warnings
            << " warning(s)\n";
  return errors ? kExitUsage : kExitOk;
}

}  // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ValidateArgs>();
  auto* cmd = app.add_subcommand("validate",
                                 "Check DaemonConfig, Trigger, AgentFlow, Agent, AgentFleet and "
                                 "Context files with the loader the binaries use");
  cmd->add_option("paths", args->paths, "Files or directories")->required();
  cmd->add_flag("-r,--recursive", args->recursive, "Descend into subdirectories");
  cmd->add_flag("-q,--quiet", args->quiet, "Print errors only");
  cmd->callback([args, &exit_code] { exit_code = run_validate(*args); });
}

}  // namespace aof::cli
