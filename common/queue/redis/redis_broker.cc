#include "common/queue/redis/redis_broker.h"

#include "common/queue/body_aside.h"

#include "common/queue/redis/redis_pool.h"
#include "common/queue/redis/redis_queue.h"

namespace aof::queue {
namespace {

// Streams with consumer-group XPENDING IDLE, XAUTOCLAIM-era semantics and exclusive ranges
// arrived in Redis 6.2.
Status check_server_version(RedisConnection& connection) {
  auto info = connection.command({"INFO", "server"});
  if (!info) return info.error().with_context("reading the server version");
  const auto at = info->str.find("redis_version:");
  if (at == std::string::npos) return ok_status();  // a compatible server that hides it
  const std::string version = info->str.substr(at + 14, info->str.find_first_of("\r\n", at) - at - 14);
  int major = 0;
  int minor = 0;
  if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) == 2 &&
      (major < 6 || (major == 6 && minor < 2))) {
    return Error(ErrorCode::kInvalidArgument,
                 "redis at " + connection.endpoint().address() + " is version " + version +
                     "; aof-scale needs Redis 6.2 or later");
  }
  return ok_status();
}

}  // namespace

Result<Broker> open_redis_broker(const config::QueueConfig& config, Jitter jitter) {
  auto endpoint = parse_redis_url(config.url);
  if (!endpoint) return endpoint.error();
  auto pool = std::make_shared<RedisPool>(*endpoint);
  {
    auto connection = pool->acquire();
    if (!connection) return connection.error();
    if (auto checked = check_server_version(**connection); !checked) return checked.error();
    if (auto created = ensure_consumer_group(**connection, config); !created) {
      return created.error();
    }
  }
  auto bodies = make_redis_body_store(config, pool);
  return Broker{with_bodies_aside(make_redis_queue(config, pool, std::move(jitter)), bodies),
                make_redis_state(config, pool), bodies};
}

}  // namespace aof::queue
