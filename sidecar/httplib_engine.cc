#include "sidecar/fixed_routes.h"
#include "sidecar/http_engine.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <thread>

#include "common/base/log.h"

namespace aof::sidecar {
namespace {

constexpr std::size_t kMaxHeaders = 100;

// ASCII only, as std::tolower in the C locale (header names are ASCII), without its call
// per character.
std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

void write_response(const ingest::IngressResponse& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [name, value] : from.headers) to.set_header(name, value);
  to.set_content(from.body, from.content_type.empty() ? "application/json" : from.content_type);
}

void write_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

ingest::IngressRequest to_ingress(const httplib::Request& req) {
  ingest::IngressRequest out;
  out.method = req.method;
  out.path = req.path;
  out.remote_addr = req.remote_addr;
  for (const auto& [name, value] : req.headers) out.headers.emplace(lower(name), value);
  // Query parameters (WhatsApp's GET handshake), bounded: the first of each name, the first
  // kMaxQueryParams names, values cut at kMaxQueryValueBytes.
  for (const auto& [name, value] : req.params) {
    if (out.query.size() >= ingest::kMaxQueryParams) break;
    out.query.emplace(name, value.substr(0, ingest::kMaxQueryValueBytes));
  }
  return out;
}

// Counts the bytes of all bodies being received; a reservation gives its bytes back when it
// goes out of scope, whatever happens to the request.
class InflightBytes {
 public:
  explicit InflightBytes(std::int64_t limit) : limit_(limit) {}
  class Reservation {
   public:
    explicit Reservation(InflightBytes& owner) : owner_(owner) {}
    ~Reservation() { owner_.used_ -= held_; }
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;
    bool grow(std::int64_t bytes) {
      if (owner_.used_.fetch_add(bytes) + bytes > owner_.limit_) {
        owner_.used_ -= bytes;
        return false;
      }
      held_ += bytes;
      return true;
    }

   private:
    InflightBytes& owner_;
    std::int64_t held_ = 0;
  };

 private:
  std::int64_t limit_;
  std::atomic<std::int64_t> used_{0};
};


class HttplibEngine final : public HttpEngine {
 public:
  HttplibEngine(HttpOptions options, HttpHandlers handlers)
      : options_(std::move(options)),
        handlers_(std::move(handlers)),
        inflight_(options_.max_inflight_bytes),
        log_(log::get(log::Component::kSidecar)),
        server_(make_server(options_)) {
    tune_http_server(*server_, options_, listen_);
    add_routes();
  }

  ~HttplibEngine() override { stop(); }

  Status bind() override {
    if (!server_->is_valid()) {
      return Error(ErrorCode::kInvalidArgument,
                   "cannot use the TLS certificate " + options_.tls_cert_file + " with key " +
                       options_.tls_key_file +
                       " (missing, unreadable, not PEM, or the key does not match); fix "
                       "gateway.tls or remove it to serve plain HTTP");
    }
    bound_port_ = options_.port == 0
                      ? server_->bind_to_any_port(options_.host)
                      : (server_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
    if (bound_port_ < 0) {
      return Error(ErrorCode::kUnavailable, "cannot listen on " + options_.host + ":" +
                                                std::to_string(options_.port) +
                                                " (address in use or not available)");
    }
    raise_backlog(listen_, options_.backlog);
    return ok_status();
  }

  int port() const override { return bound_port_; }

  // Returns once the listener runs: httplib's stop() does nothing before listen has begun, so
  // a SIGTERM arriving just after start-up would otherwise leave stop() joining forever.
  void start() override {
    thread_ = std::thread([this] {
      server_->listen_after_bind();
      listen_returned_ = true;
    });
    while (!server_->is_running() && !listen_returned_.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  void stop() override {
    if (!thread_.joinable()) return;
    server_->stop();
    thread_.join();
  }

 private:
  static std::unique_ptr<httplib::Server> make_server(const HttpOptions& options) {
    if (options.tls_cert_file.empty()) return std::make_unique<httplib::Server>();
    return std::make_unique<httplib::SSLServer>(options.tls_cert_file.c_str(),
                                                options.tls_key_file.c_str());
  }

  void add_routes() {
    const std::string webhook = R"(/webhook/([A-Za-z0-9_.-]{1,64}))";
    server_->Post(webhook,
                 [this](const httplib::Request& req, httplib::Response& res,
                        const httplib::ContentReader& reader) { on_webhook(req, res, &reader); });
    server_->Get(webhook, [this](const httplib::Request& req, httplib::Response& res) {
      on_webhook(req, res, nullptr);
    });
    server_->Get("/health", [](const httplib::Request&, httplib::Response& res) {
      write_json(res, 200, fixed_routes::health_body());
    });
    server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      write_json(res, 200, fixed_routes::healthz_body());
    });
    server_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
      const bool ready = !handlers_.ready || handlers_.ready();
      write_json(res, ready ? 200 : 503, fixed_routes::readyz_body(ready));
    });
    server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(handlers_.metrics ? handlers_.metrics() : "", "text/plain; version=0.0.4");
    });
    server_->Get(R"(/v1/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      on_admin(req, res);
    });
    server_->Get("/", [](const httplib::Request&, httplib::Response& res) {
      write_json(res, 200, fixed_routes::root_body());
    });
  }

  void on_admin(const httplib::Request& req, httplib::Response& res) {
    if (!handlers_.admin) return write_json(res, 404, R"({"error":"not found"})");
    if (!fixed_routes::is_loopback(req.remote_addr)) {
      return write_json(res, 403, R"({"error":"admin routes answer loopback peers only"})");
    }
    auto request = to_ingress(req);
    for (const auto& [name, value] : req.params) request.headers.emplace("query." + name, value);
    write_response(handlers_.admin(request), res);
  }

  void on_webhook(const httplib::Request& req, httplib::Response& res,
                  const httplib::ContentReader* reader) {
    if (req.headers.size() > kMaxHeaders) {
      return write_json(res, 431, R"({"error":"too many headers"})");
    }
    auto request = to_ingress(req);
    request.platform = req.matches[1];
    for (const auto& [name, value] : req.params) request.headers.emplace("query." + name, value);
    InflightBytes::Reservation reservation(inflight_);
    if (reader != nullptr && !read_body(req, res, *reader, reservation, request.body)) return;
    write_response(handlers_.webhook(request), res);
  }

  // Reads the body within the size and in-flight limits; answers 413/503 itself on failure.
  bool read_body(const httplib::Request& req, httplib::Response& res,
                 const httplib::ContentReader& reader, InflightBytes::Reservation& reservation,
                 std::string& body) {
    const auto declared =
        req.get_header_value_count("Content-Length") > 0
            ? std::strtoll(req.get_header_value("Content-Length").c_str(), nullptr, 10)
            : 0LL;
    if (declared > options_.max_body_bytes) return too_large(res);
    if (declared > 0 && !reservation.grow(declared)) return overloaded(res);
    bool over = false;
    bool no_room = false;
    std::int64_t received = 0;
    body.reserve(static_cast<std::size_t>(std::max(0LL, declared)));
    reader([&](const char* data, std::size_t length) {
      received += static_cast<std::int64_t>(length);
      if (received > options_.max_body_bytes) return !(over = true);
      if (received > declared && !reservation.grow(static_cast<std::int64_t>(length))) {
        return !(no_room = true);
      }
      body.append(data, length);
      return true;
    });
    if (over) return too_large(res);
    if (no_room) return overloaded(res);
    return true;
  }

  bool too_large(httplib::Response& res) {
    write_json(
        res, 413,
        R"({"error":"body exceeds )" + std::to_string(options_.max_body_bytes) + R"( bytes"})");
    return false;
  }

  bool overloaded(httplib::Response& res) {
    res.set_header("Retry-After", "5");
    write_json(res, 503, R"({"error":"too many bytes in flight; retry later"})");
    return false;
  }

  HttpOptions options_;
  HttpHandlers handlers_;
  InflightBytes inflight_;
  std::shared_ptr<spdlog::logger> log_;
  ListenSocket listen_;  // before server_: its socket-options callback refers to it
  std::unique_ptr<httplib::Server> server_;  // an SSLServer when TLS is configured
  int bound_port_ = -1;
  std::thread thread_;
  std::atomic<bool> listen_returned_{false};
};

}  // namespace

std::unique_ptr<HttpEngine> make_httplib_engine(HttpOptions options, HttpHandlers handlers) {
  return std::make_unique<HttplibEngine>(std::move(options), std::move(handlers));
}

}  // namespace aof::sidecar
