#include "sidecar/gateway_role.h"

#include <spdlog/spdlog.h>

#include "common/base/log.h"
#include "sidecar/gateway.h"
#include "sidecar/http_server.h"

namespace aof::sidecar {

Result<std::unique_ptr<GatewayRole>> GatewayRole::create(
    const LoadedDaemon& daemon, std::shared_ptr<queue::Queue> queue, Clock& clock,
    const config::EnvLookup& env, std::function<std::string()> more_metrics) {
  const char* backend = queue->backend();
  auto gateway = Gateway::create(daemon, std::move(queue), clock, env);
  if (!gateway.ok()) return gateway.error();
  auto handlers = (*gateway)->handlers();
  if (more_metrics) {
    handlers.metrics = [own = std::move(handlers.metrics), more = std::move(more_metrics)] {
      return own() + more();
    };
  }
  auto server = std::make_unique<HttpServer>((*gateway)->http_options(), std::move(handlers));
  // A taken address is our own start-up failure (exit 1), not an unreachable broker; an
  // unusable TLS certificate is configuration (exit 2).
  if (auto bound = server->bind(); !bound.ok()) {
    if (bound.error().code() == ErrorCode::kInvalidArgument) return bound.error();
    return Error(ErrorCode::kInternal, bound.error().message());
  }
  return std::unique_ptr<GatewayRole>(
      new GatewayRole(std::move(*gateway), std::move(server), daemon.config.server.host, backend));
}

GatewayRole::GatewayRole(std::unique_ptr<Gateway> gateway, std::unique_ptr<HttpServer> server,
                         std::string host, const char* backend)
    : gateway_(std::move(gateway)),
      server_(std::move(server)),
      host_(std::move(host)),
      backend_(backend) {}

// The server goes first: its handlers point into the gateway.
GatewayRole::~GatewayRole() { server_.reset(); }

void GatewayRole::start() {
  server_->start();
  log::get(log::Component::kSidecar)
      ->info("listening on http://{}:{} (queue {})", host_, server_->port(), backend_);
}

int GatewayRole::port() const { return server_->port(); }

void GatewayRole::set_draining() { gateway_->set_draining(); }

void GatewayRole::stop() { server_->stop(); }

Status GatewayRole::reload(const LoadedDaemon& daemon, const config::EnvLookup& env) {
  return gateway_->reload(daemon, env);
}

}  // namespace aof::sidecar
