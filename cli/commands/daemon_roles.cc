#include "cli/commands/daemon_roles.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <iostream>

#include "cli/commands/exit_codes.h"
#include "common/base/log.h"
#include "common/queue/factory.h"
#include "common/runtime/executor.h"
#include "common/runtime/worker.h"
#include "sidecar/gateway.h"
#include "sidecar/http_server.h"
#include "sidecar/signals.h"

namespace aof::cli {
namespace {

std::string default_consumer() {
  char host[256] = "worker";
  gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(getpid());
}

runtime::Job make_job(std::shared_ptr<const runtime::Executor> executor) {
  return
      [executor](const event::Envelope& envelope, const runtime::JobContext& job, bool* permanent) {
        runtime::ExecutionContext context{job.worker, job.cancelled};
        return executor->execute(envelope, context, permanent);
      };
}

runtime::WorkerOptions worker_options(const config::DaemonConfig& config, std::string consumer) {
  runtime::WorkerOptions options;
  options.consumer = consumer.empty() ? default_consumer() : std::move(consumer);
  options.concurrency = config.worker.concurrency;
  options.prefetch = config.worker.prefetch;
  options.lease = Millis(config.queue.lease_ms);
  options.drain_grace = std::chrono::seconds(config.worker.drain_grace_secs);
  return options;
}

// Waits for SIGTERM/SIGINT; SIGHUP is acknowledged (reload arrives with issue 6).
int wait_for_shutdown() {
  auto log = log::get(log::Component::kCli);
  while (true) {
    const int sig = sidecar::wait_for_signal();
    if (sig != SIGHUP) return sig;
    log->warn(
        "SIGHUP received: reloading triggers, agents and flows is not available in this "
        "build yet (issue 6); restart the process to pick up changes");
  }
}

Roles roles_of(config::Mode mode) {
  Roles roles;
  roles.gateway = mode != config::Mode::kWorker;
  roles.worker = mode != config::Mode::kGateway;
  return roles;
}

// Runs the roles until SIGTERM/SIGINT, then drains in order.
int run_roles(const sidecar::LoadedDaemon& daemon, const Roles& roles, const char* program) {
  auto log = log::get(log::Component::kCli);
  const auto& config = daemon.config;
  Clock& clock = SystemClock::instance();
  auto broker = queue::open_broker(config.queue, clock);
  if (!broker.ok()) {
    std::cerr << program << ": " << broker.error().message() << "\n";
    return exit_code_for(broker.error());
  }

  std::unique_ptr<sidecar::Gateway> gateway;
  std::unique_ptr<sidecar::HttpServer> server;
  if (roles.gateway) {
    auto created = sidecar::Gateway::create(daemon, broker->queue, clock, config::process_env());
    if (!created.ok()) {
      std::cerr << program << ": " << created.error().message() << "\n";
      return exit_code_for(created.error());
    }
    gateway = std::move(*created);
    server = std::make_unique<sidecar::HttpServer>(gateway->http_options(), gateway->handlers());
    if (auto bound = server->bind(); !bound.ok()) {
      std::cerr << program << ": " << bound.error().message() << "\n";
      return kExitFailed;
    }
  }

  std::unique_ptr<runtime::Worker> worker;
  if (roles.worker) {
    auto executor =
        std::make_shared<const runtime::Executor>(daemon.resources, config.runtime, clock);
    worker = std::make_unique<runtime::Worker>(broker->queue, make_job(executor),
                                               worker_options(config, roles.consumer));
    worker->start();
  }
  if (server) {
    server->start();
    log->info("listening on http://{}:{} (mode {}, queue {})", config.server.host, server->port(),
              config::to_string(config.mode), broker->queue->backend());
  }
  log->info("ready: {} triggers, {} flows, {} agents, {} fleets loaded",
            daemon.resources->triggers.size(), daemon.resources->flows.size(),
            daemon.resources->agents.size(), daemon.resources->fleets.size());

  const int sig = wait_for_shutdown();
  log->info("signal {} received: draining", sig);
  if (gateway) gateway->set_draining();
  if (server) server->stop();
  if (worker) {
    const int released = worker->drain();
    log->info("worker drained ({} events released)", released);
  }
  if (auto stats = broker->queue->stats();
      stats.ok() && broker->queue->backend() == std::string("memory")) {
    const auto unfinished = stats->depth + stats->delayed + stats->pending;
    if (unfinished > 0) {
      log->warn(
          "{} events were still queued on the in-memory queue and are lost with this "
          "process; use queue.type redis or nats for durability",
          unfinished);
    }
  }
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
  const bool one_role = !(roles->gateway && roles->worker);
  if (one_role && loaded->config.queue.type == config::QueueType::kMemory) {
    std::cerr << program << ": the " << (roles->gateway ? "gateway" : "worker")
              << " role alone needs a broker shared with other processes, but spec.queue.type "
                 "is memory (the embedded queue lives inside one process). Run `aof serve` "
                 "(standalone), or set spec.queue.type to redis or nats (Redis Streams arrives "
                 "with issue 3, NATS JetStream with issue 4).\n";
    return kExitUsage;
  }
  return run_roles(*loaded, *roles, program);
}

}  // namespace aof::cli
