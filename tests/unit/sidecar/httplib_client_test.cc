// The HttpClient over cpp-httplib against a real loopback httplib::Server: what goes on the
// wire, what comes back, and how each transport failure is classified.
#include "sidecar/httplib_client.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"

namespace aof::sidecar {
namespace {

// A server on an ephemeral loopback port, listening on its own thread until destroyed.
template <typename Server = httplib::Server>
class Loopback {
 public:
  template <typename... Args>
  explicit Loopback(Args&&... args) : server_(std::forward<Args>(args)...) {}
  ~Loopback() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  Server& server() { return server_; }
  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the listen loop runs: wait for it, or the destructor hangs.
    for (int i = 0; i < 10000 && !server_.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    REQUIRE(server_.is_running());
  }
  std::string url(const std::string& path, const char* scheme = "http") const {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_) + path;
  }
  int port() const { return port_; }

 private:
  Server server_;
  int port_ = 0;
  std::thread thread_;
};

HttpRequest get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  request.timeout = std::chrono::seconds(10);
  return request;
}

}  // namespace

TEST_CASE("a request reaches the server as given: method/target/headers/body") {
  Loopback<> fake;
  httplib::Request seen;
  fake.server().Post("/v1/things", [&](const httplib::Request& req, httplib::Response& res) {
    seen = req;
    res.status = 201;
    res.set_header("X-Request-ID", "abc");
    res.set_content(R"({"ok":true})", "application/json");
  });
  fake.start();

  HttpRequest request = get(fake.url("/v1/things?limit=2&q=a%20b#fragment"));
  request.method = "POST";
  request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer k"}};
  request.body = R"({"name":"x"})";
  auto response = HttplibClient().send(request);

  REQUIRE_MESSAGE(response.ok(), response.error().message());
  CHECK(response->status == 201);
  CHECK(response->body == R"({"ok":true})");
  CHECK(response->headers.at("x-request-id") == "abc");  // names lower-cased
  CHECK(response->headers.at("content-type") == "application/json");
  CHECK(seen.method == "POST");
  CHECK(seen.target == "/v1/things?limit=2&q=a%20b");  // as given, fragment dropped
  CHECK(seen.get_param_value("q") == "a b");
  CHECK(seen.body == R"({"name":"x"})");
  CHECK(seen.get_header_value("Content-Type") == "application/json");
  CHECK(seen.get_header_value("Authorization") == "Bearer k");
}

TEST_CASE("an error status is a response, not an error: the caller decides what 429 means") {
  Loopback<> fake;
  fake.server().Get("/busy", [](const httplib::Request&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "3");
    res.set_content(R"({"error":{"message":"slow down"}})", "application/json");
  });
  fake.start();
  auto response = HttplibClient().send(get(fake.url("/busy")));
  REQUIRE(response.ok());
  CHECK(response->status == 429);
  CHECK(response->headers.at("retry-after") == "3");
  CHECK(response->body == R"({"error":{"message":"slow down"}})");
}

TEST_CASE("a body over max_response_bytes is refused, with or without Content-Length") {
  Loopback<> fake;
  fake.server().Get("/sized", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(1000, 'x'), "text/plain");
  });
  fake.server().Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [](std::size_t offset, httplib::DataSink& sink) {
      const std::string chunk(100, 'y');
      if (offset < 100000) {
        sink.write(chunk.data(), chunk.size());
      } else {
        sink.done();
      }
      return true;
    });
  });
  fake.start();
  for (const char* path : {"/sized", "/chunked"}) {
    CAPTURE(path);
    HttpRequest request = get(fake.url(path));
    request.max_response_bytes = 999;
    auto response = HttplibClient().send(request);
    REQUIRE_FALSE(response.ok());
    CHECK(response.error().code() == ErrorCode::kResourceExhausted);
    CHECK(response.error().message() ==
          "GET http://127.0.0.1:" + std::to_string(fake.port()) + ": response body over 999 bytes");
  }
  HttpRequest exact = get(fake.url("/sized"));
  exact.max_response_bytes = 1000;
  auto response = HttplibClient().send(exact);
  REQUIRE(response.ok());
  CHECK(response->body.size() == 1000);
}

TEST_CASE("redirects are followed only when asked") {
  Loopback<> fake;
  fake.server().Get("/old", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(fake.url("/new"), 302);
    res.set_content("moved", "text/plain");
  });
  fake.server().Get("/new", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("here", "text/plain");
  });
  fake.start();

  auto not_followed = HttplibClient().send(get(fake.url("/old")));
  REQUIRE(not_followed.ok());
  CHECK(not_followed->status == 302);
  CHECK(not_followed->headers.at("location") == fake.url("/new"));

  HttpRequest follow = get(fake.url("/old"));
  follow.follow_redirects = true;
  auto followed = HttplibClient().send(follow);
  REQUIRE(followed.ok());
  CHECK(followed->status == 200);
  CHECK(followed->body == "here");
}

TEST_CASE("a server that does not answer within the timeout is kTimeout") {
  Loopback<> fake;
  std::mutex mu;
  std::condition_variable cv;
  bool released = false;
  fake.server().Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::seconds(20), [&] { return released; });
    res.set_content("late", "text/plain");
  });
  fake.start();
  HttpRequest request = get(fake.url("/slow"));
  request.timeout = std::chrono::milliseconds(200);
  auto response = HttplibClient().send(request);
  {
    std::lock_guard lock(mu);
    released = true;
  }
  cv.notify_all();
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().code() == ErrorCode::kTimeout);
}

TEST_CASE("a refused connection is kUnavailable; bad URLs and methods are kInvalidArgument") {
  int closed_port = 0;
  {
    Loopback<> gone;
    gone.start();
    closed_port = gone.port();
  }
  auto refused = HttplibClient().send(get("http://127.0.0.1:" + std::to_string(closed_port)));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kUnavailable);

  for (const char* url : {"ftp://example.com/x", "example.com/x", "http:///path",
                          "http://user:secret@example.com/"}) {
    CAPTURE(url);
    auto bad = HttplibClient().send(get(url));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code() == ErrorCode::kInvalidArgument);
    CHECK(bad.error().message().find("secret") == std::string::npos);
  }
  HttpRequest trace = get("http://127.0.0.1:1/");
  trace.method = "TRACE";
  auto bad_method = HttplibClient().send(trace);
  REQUIRE_FALSE(bad_method.ok());
  CHECK(bad_method.error().message() == "unsupported HTTP method \"TRACE\"");
}

TEST_CASE("https verifies the server: trusted with its CA, refused without it") {
  aof::testing::TempDir certs;
  aof::testing::make_test_certificates(certs);
  Loopback<httplib::SSLServer> fake((certs.path() / "server.crt").c_str(),
                                    (certs.path() / "server.key").c_str());
  REQUIRE(fake.server().is_valid());
  fake.server().Get("/secure", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("tls ok", "text/plain");
  });
  fake.start();

  HttplibClientOptions trusting;
  trusting.ca_cert_file = (certs.path() / "ca.crt").string();
  auto trusted = HttplibClient(trusting).send(get(fake.url("/secure", "https")));
  REQUIRE_MESSAGE(trusted.ok(), trusted.error().message());
  CHECK(trusted->body == "tls ok");

  auto untrusted = HttplibClient().send(get(fake.url("/secure", "https")));
  REQUIRE_FALSE(untrusted.ok());
  CHECK(untrusted.error().code() == ErrorCode::kUnavailable);
  CHECK(untrusted.error().message().find("TLS") != std::string::npos);
}

TEST_CASE("without ca_cert_file https trusts the system store (OpenSSL's SSL_CERT_FILE)") {
  // The production setting: no CA file given. Pointing OpenSSL's default store at the test CA
  // shows the default verify paths are loaded (an empty store would refuse every server).
  aof::testing::TempDir certs;
  aof::testing::make_test_certificates(certs);
  Loopback<httplib::SSLServer> fake((certs.path() / "server.crt").c_str(),
                                    (certs.path() / "server.key").c_str());
  fake.server().Get("/secure", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("system store", "text/plain");
  });
  fake.start();
  REQUIRE(::setenv("SSL_CERT_FILE", (certs.path() / "ca.crt").c_str(), 1) == 0);
  auto response = HttplibClient().send(get(fake.url("/secure", "https")));
  ::unsetenv("SSL_CERT_FILE");
  REQUIRE_MESSAGE(response.ok(), response.error().message());
  CHECK(response->body == "system store");
}

}  // namespace aof::sidecar
