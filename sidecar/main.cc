// aof-sidecar: the ingress role alone: verify, route, dedup, publish durably, answer.
#include <CLI/CLI.hpp>

#include <iostream>

#include "common/base/clock.h"
#include "common/queue/factory.h"
#include "sidecar/startup.h"

int main(int argc, char** argv) {
  CLI::App app{"aof-sidecar: verify, route and durably queue webhooks", "aof-sidecar"};
  app.set_version_flag("--version", AOF_VERSION);
  aof::sidecar::StartupFlags flags;
  app.add_option("-c,--config", flags.config_path, "DaemonConfig file")->required();
  app.add_option("--queue-url", flags.queue_url, "Broker URL; overrides the config");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto loaded = aof::sidecar::load_daemon(flags, aof::config::process_env());
  if (!loaded.ok()) {
    std::cerr << "aof-sidecar: invalid configuration (see above); nothing started\n";
    return 2;
  }
  if (loaded->config.queue.type == aof::config::QueueType::kMemory) {
    std::cerr << "aof-sidecar: spec.queue.type is memory, which lives inside one process, so no "
                 "worker could consume what the sidecar publishes. Set spec.queue.type to redis "
                 "or nats, or run `aof serve` (standalone) for one process.\n";
    return 2;
  }
  auto broker = aof::queue::open_broker(loaded->config.queue, aof::SystemClock::instance());
  if (!broker.ok()) {
    std::cerr << "aof-sidecar: " << broker.error().message() << "\n";
    return aof::is_retryable(broker.error().code()) ? 3 : 2;
  }
  std::cerr << "aof-sidecar: serving on a broker arrives with issue 3\n";
  return 1;
}
