#include <CLI/CLI.hpp>

#include "cli/commands/commands.h"
#include "sidecar/exit_codes.h"

namespace aof::cli {

int run_app(CLI::App& app, int argc, char** argv, const int& exit_code) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  return exit_code;
}

}  // namespace aof::cli
