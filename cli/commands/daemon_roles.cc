#include "cli/commands/daemon_roles.h"

#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/commands/worker_role.h"
#include "common/base/log.h"
#include "sidecar/broker_startup.h"
#include "sidecar/exit_codes.h"
#include "sidecar/gateway_role.h"
#include "sidecar/reload.h"
#include "sidecar/signals.h"

namespace aof::cli {
namespace {

Roles roles_of(config::Mode mode) {
  Roles roles;
  roles.gateway = mode != config::Mode::kWorker;
  roles.worker = mode != config::Mode::kGateway;
  return roles;
}

int fail(const char* program, const Error& error) {
  std::cerr << program << ": " << error.message() << "\n";
  return exit_code_for(error);
}

// On the memory queue whatever is still queued dies with the process: say so.
void warn_if_memory_lost(queue::Queue& queue) {
  auto stats = queue.stats();
  if (!stats.ok() || queue.backend() != std::string("memory")) return;
  const auto unfinished = stats->depth + stats->delayed + stats->pending;
  if (unfinished == 0) return;
  log::get(log::Component::kCli)
      ->warn(
          "{} events were still queued on the in-memory queue and are lost with this "
          "process; use queue.type redis or nats for durability",
          unfinished);
}

// Runs the roles until SIGTERM/SIGINT (reloading on SIGHUP and secret file changes), then
// drains in order: readiness false everywhere, the listener stops after in-flight requests,
// the worker finishes or releases its events.
int run_roles(const sidecar::StartupFlags& flags, const sidecar::LoadedDaemon& daemon,
              const Roles& roles, const char* program) {
  auto log = log::get(log::Component::kCli);
  Clock& clock = SystemClock::instance();
  auto broker = sidecar::open_broker_logged(daemon.config.queue, clock);
  if (!broker.ok()) return fail(program, broker.error());

  std::unique_ptr<WorkerRole> worker;
  std::function<std::string()> worker_metrics;
  if (roles.worker) {
    auto created = WorkerRole::create(daemon, *broker, clock, roles.consumer);
    if (!created.ok()) return fail(program, created.error());
    worker = std::move(*created);
    worker_metrics = [w = worker.get()] { return w->metrics_text(); };
  }
  std::unique_ptr<sidecar::GatewayRole> gateway;
  if (roles.gateway) {
    auto created = sidecar::GatewayRole::create(daemon, broker->queue, clock, config::process_env(),
                                                worker_metrics);
    if (!created.ok()) return fail(program, created.error());
    gateway = std::move(*created);
  }
  if (worker) worker->start();
  if (gateway) gateway->start();
  log->info("ready: mode {}, {} triggers, {} flows, {} agents, {} fleets loaded",
            config::to_string(daemon.config.mode), daemon.resources->triggers.size(),
            daemon.resources->flows.size(), daemon.resources->agents.size(),
            daemon.resources->fleets.size());

  const int sig = sidecar::serve_until_shutdown(
      flags, daemon, [&](const sidecar::LoadedDaemon& reloaded) -> Status {
        if (gateway) {
          if (auto applied = gateway->reload(reloaded, config::process_env()); !applied.ok()) {
            return applied;  // the worker keeps the old resources too: one configuration
          }
        }
        if (worker) worker->reload(reloaded);
        return ok_status();
      });
  log->info("signal {} received: draining", sig);
  if (gateway) gateway->set_draining();
  if (worker) worker->set_draining();
  if (gateway) gateway->stop();
  if (worker) log->info("worker drained ({} events released)", worker->drain());
  warn_if_memory_lost(*broker->queue);
  log->info("stopped");
  return kExitOk;
}

}  // namespace

int run_daemon(const sidecar::StartupFlags& flags, std::optional<Roles> roles,
               const char* program) {
  sidecar::block_shutdown_signals();
  auto loaded = sidecar::load_daemon(flags, config::process_env());
  if (!loaded.ok()) {
    std::cerr << program << ": invalid configuration (see above); nothing started\n";
    return exit_code_for(loaded.error());
  }
  if (!roles) roles = roles_of(loaded->config.mode);
  if (!(roles->gateway && roles->worker)) {
    const char* role = roles->gateway ? "gateway" : "worker";
    if (auto shared = sidecar::require_shared_broker(loaded->config.queue, role); !shared.ok()) {
      return fail(program, shared.error());
    }
  }
  return run_roles(flags, *loaded, *roles, program);
}

}  // namespace aof::cli
