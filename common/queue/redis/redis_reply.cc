#include "common/queue/redis/redis_reply.h"

namespace aof::queue {

const RedisReply& RedisReply::at(std::size_t i) const {
  static const RedisReply kNil;
  return type == Type::kArray && i < elements.size() ? elements[i] : kNil;
}

Error redis_error(const RedisReply& reply, std::string_view what) {
  const std::string& text = reply.str;
  const std::string context(what);
  const auto has_prefix = [&](std::string_view prefix) { return text.starts_with(prefix); };
  if (has_prefix("OOM")) {
    return Error(ErrorCode::kResourceExhausted,
                 context + ": redis is full (" + text +
                     "); raise maxmemory, lower queue.retention, or add workers to drain it");
  }
  if (has_prefix("QUEUEFULL")) {
    return Error(ErrorCode::kResourceExhausted,
                 context + ": the queue is full: " + text.substr(10) +
                     "; add workers, or raise queue.retention.queue_max");
  }
  if (has_prefix("NOAUTH") || has_prefix("WRONGPASS") || has_prefix("NOPERM")) {
    return Error(ErrorCode::kUnauthenticated,
                 context + ": redis refused our credentials (" + text +
                     "); check the user and password in queue.url");
  }
  if (has_prefix("LOADING") || has_prefix("BUSY") || has_prefix("MASTERDOWN") ||
      has_prefix("READONLY") || has_prefix("TRYAGAIN") || has_prefix("CLUSTERDOWN")) {
    return Error(ErrorCode::kUnavailable, context + ": redis cannot serve now (" + text + ")");
  }
  return Error(ErrorCode::kInternal, context + ": redis answered an error: " + text);
}

Result<RedisReply> checked(RedisReply reply, std::string_view what) {
  if (reply.is_error()) return redis_error(reply, what);
  return reply;
}

}  // namespace aof::queue
