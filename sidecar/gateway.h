#pragma once
// The gateway: webhook requests in, durable publishes out (DESIGN §5, §6). Builds the ingress
// logic from the config (secrets resolved here, once), publishes what it decides to publish,
// waits for the broker's confirmation within gateway.ack_timeout_ms and answers the provider.
// Shared by aof-sidecar and `aof serve`; links no executor code. Thread-safe.

#include <atomic>
#include <memory>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/config/loader.h"
#include "common/ingest/request.h"
#include "common/queue/queue.h"
#include "sidecar/http_server.h"
#include "sidecar/startup.h"

namespace aof::ingest {
class Ingress;
}

namespace aof::sidecar {

class Gateway {
 public:
  // Errors (kInvalidArgument, exit 2): a secret's env var unset or file unreadable; a
  // platform with triggers but no secret and not `insecure: true`.
  static Result<std::unique_ptr<Gateway>> create(const LoadedDaemon& daemon,
                                                 std::shared_ptr<queue::Queue> queue, Clock& clock,
                                                 const config::EnvLookup& env);
  ~Gateway();

  // Verify, route, publish, await, answer. Never throws.
  ingest::IngressResponse handle_webhook(const ingest::IngressRequest& request);

  // The HTTP server's handlers and options for this config.
  HttpHandlers handlers();
  HttpOptions http_options() const;

  // Readiness goes false (drain); requests still in flight finish.
  void set_draining() { draining_ = true; }
  bool ready() const { return !draining_.load(); }

  // Prometheus text of the gateway's counters.
  std::string metrics_text() const;

 private:
  Gateway(const LoadedDaemon& daemon, std::shared_ptr<queue::Queue> queue,
          std::unique_ptr<ingest::Ingress> ingress);

  config::DaemonConfig config_;
  std::shared_ptr<queue::Queue> queue_;
  std::unique_ptr<ingest::Ingress> ingress_;
  std::atomic<bool> draining_{false};
};

}  // namespace aof::sidecar
