#include "sidecar/broker_startup.h"

#include <spdlog/spdlog.h>

#include "common/base/log.h"
#include "common/queue/factory.h"

namespace aof::sidecar {

Status require_shared_broker(const config::QueueConfig& config, const char* role) {
  if (config.type != config::QueueType::kMemory) return ok_status();
  return Error(ErrorCode::kInvalidArgument,
               std::string("the ") + role +
                   " role alone needs a broker shared with other processes, but "
                   "spec.queue.type is memory (the embedded queue lives inside one process). "
                   "Set spec.queue.type to redis (or pass --queue-url redis://HOST:6379), or "
                   "run `aof serve` (standalone) for one process.");
}

Result<queue::Broker> open_broker_logged(const config::QueueConfig& config, Clock& clock) {
  auto broker = queue::open_broker(config, clock);
  if (!broker.ok()) return broker.error();
  auto log = log::get(log::Component::kQueue);
  for (const auto& warning : broker->queue->durability_warnings()) {
    log->warn("backend={} {}", broker->queue->backend(), warning);
  }
  return broker;
}

}  // namespace aof::sidecar
