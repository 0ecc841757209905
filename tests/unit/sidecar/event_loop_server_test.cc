// The event-loop engine (sidecar/event_loop_engine.cc) on real loopback sockets: answers
// that come back from other threads, in request order; chunked bodies and 100 Continue; the
// limits (refused requests, connections, bytes in flight, slow senders) and stopping with
// requests still being answered.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sidecar/http_server.h"

namespace aof::sidecar {
namespace {

using namespace std::chrono_literals;

HttpOptions loopback_options() {
  HttpOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.engine = HttpEngineKind::kEventLoop;
  return options;
}

ingest::IngressResponse answer(int status, std::string body) {
  ingest::IngressResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// A raw client: exact bytes out, everything the server sends back in.
class RawClient {
 public:
  explicit RawClient(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  void send_all(const std::string& bytes) const {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      REQUIRE(n > 0);
      sent += static_cast<std::size_t>(n);
    }
  }

  // Reads until `text` appears `times` times in what was received, the server closes, or
  // `limit` passes; returns everything received so far.
  std::string read_until(const std::string& text, int times = 1,
                         std::chrono::milliseconds limit = 10s) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    while (count(text) < times && !closed_) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          give_up - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buffer[65536];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      received_.append(buffer, static_cast<std::size_t>(n));
    }
    return received_;
  }

  // Reads until the server closes the connection (or `limit`).
  bool closed_within(std::chrono::milliseconds limit) {
    read_until("\x01never\x01", 1, limit);
    return closed_;
  }

  const std::string& received() const { return received_; }

 private:
  int count(const std::string& text) const {
    int n = 0;
    for (auto at = received_.find(text); at != std::string::npos;
         at = received_.find(text, at + text.size())) {
      ++n;
    }
    return n;
  }

  int fd_;
  std::string received_;
  bool closed_ = false;
};

std::string post(const std::string& path, const std::string& body,
                 const std::string& extra_headers = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n" +
         extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Records each webhook and answers it from another thread after `delay_for(body)`.
struct DelayedWebhooks {
  std::function<std::chrono::milliseconds(const std::string&)> delay_for = [](auto&) {
    return 0ms;
  };
  std::mutex mu;
  std::vector<ingest::IngressRequest> seen;
  std::vector<std::thread> answering;

  ~DelayedWebhooks() {
    for (auto& t : answering) t.join();
  }

  HttpHandlers handlers() {
    HttpHandlers handlers;
    handlers.webhook_async = [this](const ingest::IngressRequest& request, Responder respond) {
      std::lock_guard lock(mu);
      seen.push_back(request);
      const auto delay = delay_for(request.body);
      answering.emplace_back([delay, respond, body = request.body] {
        std::this_thread::sleep_for(delay);
        respond(answer(202, R"({"echo":")" + body + R"("})"));
      });
    };
    handlers.ready = [] { return true; };
    handlers.metrics = [] { return std::string("aof_test_metric 1\n"); };
    return handlers;
  }
};

struct Served {
  explicit Served(HttpOptions options, HttpHandlers handlers)
      : server(std::move(options), std::move(handlers)) {
    REQUIRE(server.bind().ok());
    server.start();
  }
  ~Served() { server.stop(); }
  HttpServer server;
};

}  // namespace

TEST_CASE("event loop: answers from other threads reach their own connection, keep-alive") {
  DelayedWebhooks hooks;
  Served served(loopback_options(), hooks.handlers());
  httplib::Client client("127.0.0.1", served.server.port());
  client.set_keep_alive(true);
  for (int i = 0; i < 5; ++i) {
    auto res = client.Post("/webhook/github?x=1&y=two%20words", "body-" + std::to_string(i),
                           "application/json");
    REQUIRE(res);
    CHECK(res->status == 202);
    CHECK(res->body == R"({"echo":"body-)" + std::to_string(i) + R"("})");
  }
  std::lock_guard lock(hooks.mu);
  REQUIRE(hooks.seen.size() == 5);
  const auto& first = hooks.seen.front();
  CHECK(first.method == "POST");
  CHECK(first.path == "/webhook/github");
  CHECK(first.platform == "github");
  CHECK(first.remote_addr == "127.0.0.1");
  CHECK(first.headers.at("content-type") == "application/json");
  CHECK(first.query.at("y") == "two words");
  CHECK(first.headers.at("query.x") == "1");
}

TEST_CASE("event loop: pipelined requests are answered in request order") {
  DelayedWebhooks hooks;
  // The first answer takes 300 ms, the second none: it must still come second.
  hooks.delay_for = [](const std::string& body) { return body == "slow" ? 300ms : 0ms; };
  Served served(loopback_options(), hooks.handlers());
  RawClient client(served.server.port());
  client.send_all(post("/webhook/github", "slow") + post("/webhook/github", "fast"));
  const std::string got = client.read_until("HTTP/1.1 202", 2);
  const auto slow = got.find(R"({"echo":"slow"})");
  const auto fast = got.find(R"({"echo":"fast"})");
  REQUIRE(slow != std::string::npos);
  REQUIRE(fast != std::string::npos);
  CHECK(slow < fast);
}

TEST_CASE("event loop: a chunked body arrives decoded; 100 Continue is sent when asked") {
  DelayedWebhooks hooks;
  Served served(loopback_options(), hooks.handlers());
  SUBCASE("chunked") {
    RawClient client(served.server.port());
    client.send_all(
        "POST /webhook/github HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        "4\r\nabcd\r\n3;ext=1\r\nefg\r\n0\r\n\r\n");
    CHECK(client.read_until("}").find(R"({"echo":"abcdefg"})") != std::string::npos);
  }
  SUBCASE("expect 100-continue") {
    RawClient client(served.server.port());
    client.send_all(
        "POST /webhook/github HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
        "Content-Length: 5\r\n\r\n");
    CHECK(client.read_until("\r\n\r\n").rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
    client.send_all("hello");
    CHECK(client.read_until("}").find(R"({"echo":"hello"})") != std::string::npos);
  }
}

TEST_CASE("event loop: a malformed request is answered with its status and the connection closed") {
  DelayedWebhooks hooks;
  Served served(loopback_options(), hooks.handlers());
  struct Case {
    std::string request;
    std::string status;
  };
  const std::vector<Case> cases = {
      {"POST /webhook/github HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
       "Transfer-Encoding: chunked\r\n\r\nabc",
       "HTTP/1.1 400 "},
      {"GET /healthz HTTP/2.0\r\nHost: t\r\n\r\n", "HTTP/1.1 505 "},
      {"POST /webhook/github HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n",
       "HTTP/1.1 501 "},
      {"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: t\r\n\r\n", "HTTP/1.1 414 "},
  };
  for (const auto& c : cases) {
    CAPTURE(c.status);
    RawClient client(served.server.port());
    client.send_all(c.request);
    CHECK(client.closed_within(5s));
    CHECK(client.received().rfind(c.status, 0) == 0);
    CHECK(client.received().find("Connection: close\r\n") != std::string::npos);
  }
  std::lock_guard lock(hooks.mu);
  CHECK(hooks.seen.empty());
}

TEST_CASE("event loop: body limits answer 413 and 503 before the body is read") {
  DelayedWebhooks hooks;
  auto options = loopback_options();
  options.max_body_bytes = 1000;
  options.max_inflight_bytes = 1500;
  Served served(options, hooks.handlers());
  SUBCASE("a declared body over max_body_bytes") {
    RawClient client(served.server.port());
    client.send_all(
        "POST /webhook/github HTTP/1.1\r\nHost: t\r\nContent-Length: 1001\r\n\r\n");
    CHECK(client.closed_within(5s));
    CHECK(client.received().rfind("HTTP/1.1 413 ", 0) == 0);
    CHECK(client.received().find(R"({"error":"body exceeds 1000 bytes"})") != std::string::npos);
  }
  SUBCASE("bodies being received over max_inflight_bytes") {
    RawClient first(served.server.port());
    first.send_all("POST /webhook/github HTTP/1.1\r\nHost: t\r\nContent-Length: 900\r\n\r\nab");
    RawClient second(served.server.port());
    second.send_all("POST /webhook/github HTTP/1.1\r\nHost: t\r\nContent-Length: 900\r\n\r\n");
    CHECK(second.closed_within(5s));
    CHECK(second.received().rfind("HTTP/1.1 503 ", 0) == 0);
    CHECK(second.received().find("Retry-After: 5\r\n") != std::string::npos);
    // The first one's reservation stands; it completes normally.
    first.send_all(std::string(898, 'x'));
    CHECK(first.read_until("}").rfind("HTTP/1.1 202 ", 0) == 0);
  }
}

TEST_CASE("event loop: a slow sender gets 408 while everyone else is served; idle ones close") {
  DelayedWebhooks hooks;
  auto options = loopback_options();
  options.read_timeout_secs = 1;
  options.keep_alive_timeout_secs = 1;
  Served served(options, hooks.handlers());
  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < 20; ++i) {  // more than any thread pool the engine has
    slow.push_back(std::make_unique<RawClient>(served.server.port()));
    slow.back()->send_all("POST /webhook/github HTTP/1.1\r\nHost: t\r\n");
  }
  RawClient idle(served.server.port());
  httplib::Client client("127.0.0.1", served.server.port());
  auto res = client.Post("/webhook/github", "on time", "application/json");
  REQUIRE(res);
  CHECK(res->status == 202);
  for (auto& s : slow) {
    CHECK(s->closed_within(10s));
    CHECK(s->received().rfind("HTTP/1.1 408 ", 0) == 0);
  }
  CHECK(idle.closed_within(10s));
  CHECK(idle.received().empty());
}

TEST_CASE("event loop: connections beyond max_connections are answered 503 and closed") {
  DelayedWebhooks hooks;
  auto options = loopback_options();
  options.max_connections = 2;
  Served served(options, hooks.handlers());
  RawClient one(served.server.port());
  RawClient two(served.server.port());
  one.send_all("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  two.send_all("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  CHECK(one.read_until("}").rfind("HTTP/1.1 200 ", 0) == 0);  // both were accepted
  CHECK(two.read_until("}").rfind("HTTP/1.1 200 ", 0) == 0);
  RawClient three(served.server.port());
  CHECK(three.closed_within(5s));
  CHECK(three.received().rfind("HTTP/1.1 503 ", 0) == 0);
}

TEST_CASE("event loop: health, readiness, metrics, admin and unknown routes") {
  DelayedWebhooks hooks;
  auto handlers = hooks.handlers();
  bool ready = false;
  handlers.ready = [&] { return ready; };
  handlers.admin = [](const ingest::IngressRequest& request) {
    return answer(200, R"({"path":")" + request.path + R"(","q":")" +
                           request.headers.at("query.limit") + R"("})");
  };
  Served served(loopback_options(), handlers);
  httplib::Client client("127.0.0.1", served.server.port());
  CHECK(client.Get("/healthz")->body == R"({"status":"ok"})");
  CHECK(client.Get("/readyz")->status == 503);
  ready = true;
  CHECK(client.Get("/readyz")->status == 200);
  auto metrics = client.Get("/metrics");
  CHECK(metrics->body == "aof_test_metric 1\n");
  CHECK(metrics->get_header_value("Content-Type") == "text/plain; version=0.0.4");
  CHECK(client.Get("/v1/events?limit=5")->body == R"({"path":"/v1/events","q":"5"})");
  CHECK(client.Get("/nothing-here")->status == 404);
  CHECK(client.Post("/healthz", "", "text/plain")->status == 404);
  CHECK(client.Get("/webhook/bad%2Fname")->status == 404);
}

TEST_CASE("event loop: stop waits for requests being answered and closes idle connections") {
  DelayedWebhooks hooks;
  hooks.delay_for = [](const std::string&) { return 500ms; };
  auto served = std::make_unique<Served>(loopback_options(), hooks.handlers());
  RawClient idle(served->server.port());
  RawClient busy(served->server.port());
  busy.send_all(post("/webhook/github", "in flight"));
  std::this_thread::sleep_for(100ms);  // the request is with the handler now
  served->server.stop();  // returns once the answer left
  CHECK(busy.read_until("}", 1, 1s).find(R"({"echo":"in flight"})") != std::string::npos);
  CHECK(busy.received().find("Connection: close\r\n") != std::string::npos);
  CHECK(idle.closed_within(1s));
  served.reset();  // a Responder called after this is dropped safely (hooks join their threads)
}

}  // namespace aof::sidecar
