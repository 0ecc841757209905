#pragma once
// The gateway role's lifecycle, shared by aof-sidecar and `aof serve` (gateway, standalone):
// build the Gateway, bind its listener, serve; on shutdown readiness goes false first, then
// the listener stops after the requests in flight have been answered (DESIGN §5 Drain).
// Links no executor code. Not thread-safe: one owner drives start/drain/stop.

#include <functional>
#include <memory>
#include <string>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/config/loader.h"
#include "common/queue/queue.h"
#include "sidecar/startup.h"

namespace aof::sidecar {

class Gateway;
class HttpServer;

class GatewayRole {
 public:
  // Creates the gateway and binds server.host:server.port. `more_metrics` (may be empty) is
  // appended to the gateway's /metrics: standalone serves the worker's there too. Errors:
  // kInvalidArgument from Gateway::create (a secret missing; exit 2); kInternal when the
  // address cannot be bound (exit 1). Nothing is served until start().
  static Result<std::unique_ptr<GatewayRole>> create(
      const LoadedDaemon& daemon, std::shared_ptr<queue::Queue> queue, Clock& clock,
      const config::EnvLookup& env, std::function<std::string()> more_metrics = {});
  ~GatewayRole();  // stops if still serving
  GatewayRole(const GatewayRole&) = delete;
  GatewayRole& operator=(const GatewayRole&) = delete;

  // Serves on background threads and logs "listening on http://HOST:PORT".
  void start();
  // The bound port.
  int port() const;
  // Gateway::reload: new secrets and triggers for requests from now on. Thread-safe.
  Status reload(const LoadedDaemon& daemon, const config::EnvLookup& env);
  // /readyz answers 503 from now on; requests keep being answered.
  void set_draining();
  // Stops accepting and returns once the requests in flight were answered.
  void stop();

 private:
  GatewayRole(std::unique_ptr<Gateway> gateway, std::unique_ptr<HttpServer> server,
              std::string host, const char* backend);

  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<HttpServer> server_;
  std::string host_;
  const char* backend_;
};

}  // namespace aof::sidecar
