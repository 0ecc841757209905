#pragma once
// Group commit for publishes: one thread and one connection send every call queued since the
// last round trip as one pipeline, then hand each caller its own reply. While a round trip is
// in flight new calls gather for the next, so under load many publishes share one round trip
// and no caller ever hears back before Redis answered its own call.
// A transport failure fails the calls of that round trip (kUnavailable); the next round trip
// reconnects. Thread-safe.

#include <cstdint>
#include <functional>
#include <memory>

#include "common/base/result.h"
#include "common/queue/redis/redis_reply.h"
#include "common/queue/redis/redis_scripts.h"
#include "common/queue/redis/redis_url.h"

namespace aof::queue {

class RedisPublisher {
 public:
  using Done = std::function<void(Result<RedisReply>)>;  // runs on the publisher thread

  // `script` is what the calls run; it is (re)loaded after each connect and on NOSCRIPT.
  RedisPublisher(RedisEndpoint endpoint, const redis_scripts::Script& script,
                 std::size_t max_batch = 512);
  ~RedisPublisher();  // fails calls still queued with kUnavailable, then joins
  RedisPublisher(const RedisPublisher&) = delete;
  RedisPublisher& operator=(const RedisPublisher&) = delete;

  // Queues one formatted EVALSHA of the script; `done` gets its checked reply.
  void submit(std::string call, Done done);

  // Pipelined round trips sent so far (for metrics and the group-commit test).
  std::uint64_t round_trips() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aof::queue
