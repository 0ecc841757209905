#pragma once
// The gateway: webhook requests in, durable publishes out (DESIGN §5, §6). Builds the ingress
// logic from the config (secrets resolved here, once), publishes what it decides to publish,
// waits for the broker's confirmation within gateway.ack_timeout_ms and answers the provider.
// On a broker (not the memory queue) an event the broker did not confirm in time, or
// refused as unreachable or full, goes to the local spool (spool.h) and is answered as
// accepted once it is fsync'd there; while the broker is down, events go to the spool
// without waiting for it. Only a full spool (or a failing disk) makes the answer 503.
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

class BlockingPool;
class DeadlineWatch;
class Spool;
class SpoolForwarder;

class Gateway {
 public:
  // Errors (kInvalidArgument, exit 2): a secret's env var unset or file unreadable; a
  // platform with triggers but no secret and not `insecure: true`; gateway.spool.path not
  // usable (unless gateway.spool.max_bytes is 0: no spool).
  static Result<std::unique_ptr<Gateway>> create(const LoadedDaemon& daemon,
                                                 std::shared_ptr<queue::Queue> queue, Clock& clock,
                                                 const config::EnvLookup& env);
  ~Gateway();

  // Re-reads what the request logic is built from — the secrets (env and files) and the
  // triggers of `daemon` — and swaps it in for new requests; requests in flight finish with
  // the old. On an error (a secret now unreadable, ...) the running one stays. Thread-safe.
  Status reload(const LoadedDaemon& daemon, const config::EnvLookup& env);

  // Verify, route, publish, await, answer. Never throws.
  ingest::IngressResponse handle_webhook(const ingest::IngressRequest& request);

  // handle_webhook for an event loop: the caller's thread only verifies and routes, and never
  // waits for the broker or the disk. `respond` runs once: here for answers known at once,
  // else on the broker's thread (its confirmation), the deadline thread (no confirmation
  // within the ack timeout) or a pool thread (spool appends; publishes on a backend whose
  // publish blocks). The same answers as handle_webhook. Never throws.
  void handle_webhook_async(const ingest::IngressRequest& request, Responder respond);

  // The HTTP server's handlers and options for this config.
  HttpHandlers handlers();
  HttpOptions http_options() const;

  // Readiness goes false (drain); requests still in flight finish.
  void set_draining() { draining_ = true; }
  // Ready unless draining, or the broker is down and the spool (if any) has no room left.
  bool ready() const;

  // Prometheus text of the gateway's counters.
  std::string metrics_text() const;

 private:
  Gateway(const LoadedDaemon& daemon, std::shared_ptr<queue::Queue> queue,
          std::shared_ptr<const ingest::Ingress> ingress, std::unique_ptr<Spool> spool,
          Clock& clock);

  struct Flight;
  // The guard that keeps broker callbacks from touching a gateway being destroyed.
  struct Lifetime;

  // Publishes `envelope` and waits for the broker within the ack timeout (or spools it).
  ingest::IngressResponse publish_and_wait(const ingest::Ingress& ingress,
                                           event::Envelope envelope);
  // handle_webhook_async's publish: the answer comes from on_published or on_overdue.
  void publish_without_waiting(std::shared_ptr<const ingest::Ingress> ingress,
                               event::Envelope envelope, Responder respond);
  void on_published(const std::shared_ptr<Flight>& flight, Result<queue::PublishReceipt> done);
  void on_overdue(const std::shared_ptr<Flight>& flight);
  // Spools the flight's event on a pool thread and answers from there.
  void spool_on_pool(const std::shared_ptr<Flight>& flight, std::string why);
  // The broker confirmation deadline for an event of `platform`.
  Millis ack_timeout(const std::string& platform) const;

  // Spools an event the broker did not take; the answer for the provider.
  ingest::IngressResponse spool_event(const ingest::Ingress& ingress,
                                      const event::Envelope& envelope,
                                      const event::Envelope& names, const std::string& why);

  config::DaemonConfig config_;
  Clock& clock_;
  std::shared_ptr<queue::Queue> queue_;
  std::atomic<std::shared_ptr<const ingest::Ingress>> ingress_;  // swapped by reload()
  std::unique_ptr<Spool> spool_;                // null: no spool (memory queue, max_bytes 0)
  std::unique_ptr<SpoolForwarder> forwarder_;   // with the spool
  std::atomic<std::uint64_t> spooled_{0};
  std::atomic<bool> draining_{false};
  std::shared_ptr<Lifetime> lifetime_;
  // Last, so they stop first: their tasks and callbacks use the members above.
  std::unique_ptr<BlockingPool> pool_;
  std::unique_ptr<DeadlineWatch> deadlines_;
};

}  // namespace aof::sidecar
