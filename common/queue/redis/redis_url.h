#pragma once
// Parses queue.url for Redis: redis://[[user]:password@]host[:port][/db][?options] and
// rediss://... for TLS. Options (query): ca_file=PATH (trust this CA instead of the system
// store), server_name=NAME (SNI and certificate name; default host), connect_timeout_ms=N,
// io_timeout_ms=N. Userinfo is percent-decoded. A password never appears in messages.

#include <string>

#include "common/base/clock.h"
#include "common/base/result.h"

namespace aof::queue {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string user;      // ACL user ("" = default user)
  std::string password;  // "" = no AUTH
  int db = 0;
  bool tls = false;
  std::string ca_file;      // tls: "" = system trust store
  std::string server_name;  // tls: "" = host
  Millis connect_timeout{3000};
  Millis io_timeout{5000};  // a round trip longer than this breaks the connection

  // "host:port" for messages (never the password).
  std::string address() const;
};

// kInvalidArgument naming what is wrong (scheme, port, db, unknown option).
Result<RedisEndpoint> parse_redis_url(const std::string& url);

}  // namespace aof::queue
