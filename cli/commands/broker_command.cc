#include "cli/commands/broker_command.h"

#include <CLI/CLI.hpp>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "common/base/clock.h"
#include "common/queue/factory.h"
#include "sidecar/exit_codes.h"

namespace aof::cli {

void add_broker_flags(CLI::App& command, BrokerFlags& flags) {
  command.add_option("-c,--config", flags.startup.config_path,
                     "DaemonConfig file naming the broker (spec.queue)");
  command.add_option("--queue-url", flags.startup.queue_url,
                     "Broker URL (redis://HOST:6379, ...); overrides the config");
  command.add_flag("--json", flags.json, "One JSON document on stdout, for machines");
  command
      .add_option_function<std::string>(
          "-o,--output",
          [&flags](const std::string& format) { flags.json = format == "json"; },
          "Output format: table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
}

Result<queue::Broker> open_operator_broker(const BrokerFlags& flags) {
  auto loaded = sidecar::load_daemon(flags.startup, config::process_env(), false);
  if (!loaded.ok()) {
    return Error(ErrorCode::kInvalidArgument,
                 "invalid configuration (see above): " + loaded.error().message());
  }
  const auto& queue = loaded->config.queue;
  if (queue.type == config::QueueType::kMemory) {
    return Error(ErrorCode::kInvalidArgument,
                 "no broker to operate on: the queue is the in-memory one, which lives inside "
                 "one `aof serve` process. Pass --queue-url redis://HOST:6379 or --config "
                 "with spec.queue.type redis (for `aof serve` on memory, use its loopback "
                 "routes GET /v1/events/ID and /v1/dlq)");
  }
  return queue::open_broker(queue, SystemClock::instance());
}

int report_error(const std::string& command, const Error& error) {
  std::cerr << "aof " << command << ": " << error.message() << "\n";
  return exit_code_for(error);
}

std::string operator_identity() {
  std::string user;
  if (const char* env = std::getenv("USER"); env != nullptr) user = env;
  if (user.empty()) {  // containers and cron often have no $USER
    const passwd* entry = getpwuid(getuid());
    user = entry != nullptr ? entry->pw_name : "uid" + std::to_string(getuid());
  }
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  return user + "@" + host;
}

}  // namespace aof::cli
