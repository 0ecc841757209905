#pragma once
// One connection to Redis: our own socket (plain TCP or OpenSSL TLS, since hiredis 0.14 has no
// TLS) under hiredis's command formatter and reply parser. Blocking calls with deadlines;
// replies are bounded in size. After any transport error or timeout the connection is
// broken() and must be discarded: a reply may still be in flight.
// Not thread-safe: one thread at a time (redis_pool.h hands connections out).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/queue/redis/redis_reply.h"
#include "common/queue/redis/redis_url.h"

namespace aof::queue {

// The RESP encoding of one command, ready to send (or to concatenate into a pipeline).
std::string format_command(const std::vector<std::string_view>& args);
// The same, appended to `out` (a pipeline being built).
void append_command(std::string& out, const std::vector<std::string_view>& args);

class RedisConnection {
 public:
  // Connects (connect_timeout), negotiates TLS, sends AUTH and SELECT. kUnavailable when the
  // server cannot be reached (the message says what to check), kUnauthenticated when AUTH is
  // refused.
  static Result<std::unique_ptr<RedisConnection>> open(const RedisEndpoint& endpoint);

  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends `formatted` (one or more formatted commands back to back) and reads `replies`
  // replies, all within io_timeout + `extra_wait` (for blocking commands). Server error
  // replies are returned as replies; only transport failures are errors.
  Result<std::vector<RedisReply>> round_trip(std::string_view formatted, std::size_t replies,
                                             Millis extra_wait = Millis(0));

  // One command; server error replies become errors (checked()).
  Result<RedisReply> command(const std::vector<std::string_view>& args,
                             Millis extra_wait = Millis(0));

  bool broken() const { return broken_; }
  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  class Transport;
  explicit RedisConnection(RedisEndpoint endpoint);

  Error transport_error(const std::string& what);

  RedisEndpoint endpoint_;
  std::unique_ptr<Transport> transport_;
  void* reader_ = nullptr;  // redisReader*, kept opaque so hiredis stays in the .cc
  bool broken_ = false;
};

}  // namespace aof::queue
