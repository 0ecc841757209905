#pragma once
// Group commit for publishes, leader/follower: a call that finds no round trip in flight is
// sent at once on the caller's own thread; calls arriving while a round trip is in flight
// queue and go together in the next one (sent by a flusher thread), as EVALSHAs of the batch
// publish script carrying many events each (redis_scripts.h: each event behaves as if
// published by its own call, in order). Each caller hears only its own event's reply, and
// never before Redis answered it.
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

  // Publishes to `target`; the scripts are (re)loaded after each connect and on NOSCRIPT.
  // `max_batch`: events per round trip at most.
  RedisPublisher(RedisEndpoint endpoint, redis_scripts::PublishTarget target,
                 std::size_t max_batch = 512);
  ~RedisPublisher();  // fails calls still queued with kUnavailable, then joins
  RedisPublisher(const RedisPublisher&) = delete;
  RedisPublisher& operator=(const RedisPublisher&) = delete;

  // Who may send a call's round trip when none is in flight.
  enum class Lead {
    kMayLead,  // the caller, on its own thread (the fewest context switches for a blocking
               // caller)
    kNever,    // always the flusher thread: for an event loop, which must never block on Redis
  };

  // Sends or queues the publish of `event`; `done` gets its checked reply ("accepted" or
  // "duplicate"). With kMayLead and no round trip in flight this blocks for one (bounded by
  // the URL's io_timeout_ms) and `done` has run when it returns; otherwise it returns at once.
  void submit(redis_scripts::PublishEvent event, Lead lead, Done done);

  // Pipelined round trips sent so far (for metrics and the group-commit test).
  std::uint64_t round_trips() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aof::queue
