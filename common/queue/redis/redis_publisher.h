#pragma once
// Group commit for publishes, leader/follower: a call that finds no round trip in flight is
// sent at once on the caller's own thread; calls arriving while a round trip is in flight
// queue and go together, as one pipeline, in the next one (sent by a flusher thread). Each
// caller hears only its own reply, and never before Redis answered it.
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
  // Runs on the thread that sent the round trip: the caller's own or the flusher.
  using Done = std::function<void(Result<RedisReply>)>;

  // `script` is what the calls run; it is (re)loaded after each connect and on NOSCRIPT.
  RedisPublisher(RedisEndpoint endpoint, const redis_scripts::Script& script,
                 std::size_t max_batch = 512);
  ~RedisPublisher();  // fails calls still queued with kUnavailable, then joins
  RedisPublisher(const RedisPublisher&) = delete;
  RedisPublisher& operator=(const RedisPublisher&) = delete;

  // Sends or queues one formatted EVALSHA of the script; `done` gets its checked reply. When
  // no round trip is in flight this blocks for one (bounded by the URL's io_timeout_ms) and
  // `done` has run when it returns; otherwise it returns at once.
  void submit(std::string call, Done done);

  // Pipelined round trips sent so far (for metrics and the group-commit test).
  std::uint64_t round_trips() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aof::queue
