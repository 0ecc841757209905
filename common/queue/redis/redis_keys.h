#pragma once
// The names the Redis backend uses, all under queue.stream (see redis_broker.h).

#include <string>

#include "common/config/daemon_config.h"

namespace aof::queue {

struct RedisKeys {
  explicit RedisKeys(const config::QueueConfig& config)
      : stream(config.stream + ":default"),
        delayed(config.stream + ":delayed"),
        delayed_env(config.stream + ":delayed:env"),
        dlq(config.stream + ":" + config.dead_letter_queue),
        results(config.stream + ":results"),
        index_prefix(config.stream + ":event:"),
        delivery_prefix(config.stream + ":delivery:"),
        dedup_prefix(config.stream + ":dedup:"),
        state_prefix(config.stream + ":state:"),
        body_prefix(config.stream + ":body:"),
        group(config.consumer_group) {}

  std::string index(const std::string& event_id) const { return index_prefix + event_id; }
  std::string delivery(const std::string& delivery_id) const {
    return delivery_prefix + delivery_id;
  }
  std::string dedup(const std::string& key) const { return dedup_prefix + key; }

  const std::string stream;       // the class stream (one class until priorities arrive)
  const std::string delayed;      // zset: retrying event id by due time
  const std::string delayed_env;  // hash: retrying event id → envelope
  const std::string dlq;
  const std::string results;
  const std::string index_prefix;     // + event id → "state|generation|entry"
  const std::string delivery_prefix;  // + provider delivery id → event id
  const std::string dedup_prefix;     // + dedup key → event id
  const std::string state_prefix;     // + state store key
  const std::string body_prefix;      // + body key ":" chunk number → a body stored aside
  const std::string group;
};

}  // namespace aof::queue
