#pragma once
// What a test needs of a real broker whichever it is (RedisServer, NatsServer): the URL a
// QueueConfig points at, and a crash and restart on the same port and store. What only one
// broker has (redis-cli commands, NATS credentials) stays on its own class.

#include <string>

namespace aof::testing {

class BrokerServer {
 public:
  virtual ~BrokerServer() = default;

  // The queue.url of this server (redis://..., nats://..., with credentials and TLS).
  virtual std::string url() const = 0;
  // SIGKILL, then waits for the exit. A no-op when not running.
  virtual void kill9() = 0;
  // Starts again on the same port and store and waits until ready (kills it first if running).
  virtual void restart() = 0;
};

}  // namespace aof::testing
