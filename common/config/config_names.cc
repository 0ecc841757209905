#include "common/config/daemon_config.h"

namespace aof::config {

const char* to_string(Mode mode) {
  switch (mode) {
    case Mode::kStandalone:
      return "standalone";
    case Mode::kGateway:
      return "gateway";
    case Mode::kWorker:
      return "worker";
  }
  return "standalone";
}

const char* to_string(QueueType type) {
  switch (type) {
    case QueueType::kMemory:
      return "memory";
    case QueueType::kRedis:
      return "redis";
    case QueueType::kNats:
      return "nats";
  }
  return "memory";
}

}  // namespace aof::config
