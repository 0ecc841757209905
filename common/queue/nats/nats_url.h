#pragma once
// Parses queue.url for NATS: nats://[user:password@]host[:port][?options] and tls://... for
// TLS with server verification (the system trust store, or ca_file). Options (query):
// ca_file=PATH, server_name=NAME (certificate name to verify; default host),
// connect_timeout_ms=N, io_timeout_ms=N (the deadline of every broker call). Userinfo is
// percent-decoded. A password never appears in messages. queue.credentials_file (a .creds
// file with the user JWT and NKey seed) is set beside the URL, not in it.

#include <string>

#include "common/base/clock.h"
#include "common/base/result.h"

namespace aof::queue {

struct NatsEndpoint {
  std::string host = "127.0.0.1";
  int port = 4222;
  std::string user;      // "" = no user/password
  std::string password;
  bool tls = false;
  std::string ca_file;      // tls: "" = system trust store
  std::string server_name;  // tls: "" = host
  std::string credentials_file;  // .creds (queue.credentials_file); "" = none
  Millis connect_timeout{3000};
  Millis io_timeout{5000};  // every request (JetStream API, KV, publish ack) waits at most this

  // "host:port" for messages (never the password).
  std::string address() const;
};

// kInvalidArgument naming what is wrong (scheme, port, unknown option).
Result<NatsEndpoint> parse_nats_url(const std::string& url);

}  // namespace aof::queue
