#pragma once
// The two servers behind HttpServer (http_server.h), chosen per HttpOptions::engine:
// * the event loop (event_loop_engine.cc, the default for plain HTTP): one epoll thread reads,
//   parses (http1/request_parser.h) and answers every connection; webhooks go to the
//   asynchronous handler, so no thread waits per request for the broker. Bounded in
//   connections, header and body bytes, and in the total time a request may take to arrive.
// * cpp-httplib (httplib_engine.cc): a thread per connection; used for HTTPS (gateway.tls)
//   and when gateway.http_engine is "httplib".

#include <memory>

#include "common/base/result.h"
#include "sidecar/http_server.h"

namespace aof::sidecar {

class HttpEngine {
 public:
  virtual ~HttpEngine() = default;
  virtual Status bind() = 0;
  virtual int port() const = 0;
  virtual void start() = 0;
  virtual void stop() = 0;
};

std::unique_ptr<HttpEngine> make_httplib_engine(HttpOptions options, HttpHandlers handlers);
std::unique_ptr<HttpEngine> make_event_loop_engine(HttpOptions options, HttpHandlers handlers);

}  // namespace aof::sidecar
