// aof-sidecar: the ingress role alone: verify, route, dedup, publish durably, answer.
// Links no executor code (a CTest checks the binary's symbols).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "common/base/clock.h"
#include "common/base/log.h"
#include "sidecar/broker_startup.h"
#include "sidecar/exit_codes.h"
#include "sidecar/gateway_role.h"
#include "sidecar/reload.h"
#include "sidecar/signals.h"
#include "sidecar/startup.h"

namespace {

constexpr const char* kProgram = "aof-sidecar";

int fail(const aof::Error& error) {
  std::cerr << kProgram << ": " << error.message() << "\n";
  return aof::exit_code_for(error);
}

// Serves until SIGTERM/SIGINT (reloading on SIGHUP and secret file changes), then drains:
// readiness false, in-flight requests answered.
int serve(const aof::sidecar::StartupFlags& flags) {
  aof::sidecar::block_shutdown_signals();
  auto loaded = aof::sidecar::load_daemon(flags, aof::config::process_env());
  if (!loaded.ok()) {
    std::cerr << kProgram << ": invalid configuration (see above); nothing started\n";
    return aof::exit_code_for(loaded.error());
  }
  const auto& config = loaded->config;
  if (auto shared = aof::sidecar::require_shared_broker(config.queue, "gateway"); !shared.ok()) {
    return fail(shared.error());
  }
  aof::Clock& clock = aof::SystemClock::instance();
  auto broker = aof::sidecar::open_broker_logged(config.queue, clock);
  if (!broker.ok()) return fail(broker.error());
  auto role =
      aof::sidecar::GatewayRole::create(*loaded, broker->queue, clock, aof::config::process_env());
  if (!role.ok()) return fail(role.error());
  (*role)->start();
  auto log = aof::log::get(aof::log::Component::kSidecar);
  log->info("ready: {} triggers loaded", loaded->resources->triggers.size());
  const int sig = aof::sidecar::serve_until_shutdown(
      flags, *loaded, [&role](const aof::sidecar::LoadedDaemon& reloaded) {
        return (*role)->reload(reloaded, aof::config::process_env());
      });
  log->info("signal {} received: draining", sig);
  (*role)->set_draining();
  (*role)->stop();
  log->info("stopped");
  return aof::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"aof-sidecar: verify, route and durably queue webhooks", kProgram};
  app.set_version_flag("--version", AOF_VERSION);
  aof::sidecar::StartupFlags flags;
  app.add_option("-c,--config", flags.config_path, "DaemonConfig file")->required();
  app.add_option("--queue-url", flags.queue_url, "Broker URL; overrides the config");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? aof::kExitOk : aof::kExitUsage;
  }
  return serve(flags);
}
