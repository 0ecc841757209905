#include "sidecar/http_server.h"

#include "sidecar/http_engine.h"

namespace aof::sidecar {

class HttpServer::Impl {
 public:
  explicit Impl(std::unique_ptr<HttpEngine> engine) : engine(std::move(engine)) {}
  std::unique_ptr<HttpEngine> engine;
};

namespace {

std::unique_ptr<HttpEngine> make_engine(HttpOptions options, HttpHandlers handlers) {
  // The event loop speaks plain HTTP only; HTTPS stays on cpp-httplib's OpenSSL server.
  if (options.engine == HttpEngineKind::kHttplib || !options.tls_cert_file.empty()) {
    return make_httplib_engine(std::move(options), std::move(handlers));
  }
  return make_event_loop_engine(std::move(options), std::move(handlers));
}

}  // namespace

HttpServer::HttpServer(HttpOptions options, HttpHandlers handlers)
    : impl_(std::make_unique<Impl>(make_engine(std::move(options), std::move(handlers)))) {}
HttpServer::~HttpServer() { impl_->engine->stop(); }
Status HttpServer::bind() { return impl_->engine->bind(); }
int HttpServer::port() const { return impl_->engine->port(); }
void HttpServer::start() { impl_->engine->start(); }
void HttpServer::stop() { impl_->engine->stop(); }

}  // namespace aof::sidecar
