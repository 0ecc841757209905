// The HTTP adapter's own behaviour: start/stop, TLS termination and how slow clients are
// bounded by the pool and the read timeout (what cpp-httplib 0.11 can and cannot limit). The
// event-loop engine has its own tests (event_loop_server_test.cc).
#include "sidecar/http_server.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/support/test_certificates.h"

namespace aof::sidecar {
namespace {

HttpOptions loopback_any_port() {
  HttpOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  return options;
}

HttpHandlers ok_handlers() {
  HttpHandlers handlers;
  handlers.webhook = [](const ingest::IngressRequest&) {
    ingest::IngressResponse response;
    response.status = 202;
    response.body = R"({"status":"accepted"})";
    return response;
  };
  return handlers;
}

// A raw connection that sent half a request and then nothing.
class StalledClient {
 public:
  explicit StalledClient(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    const std::string partial = "POST /webhook/github HTTP/1.1\r\nHost: x\r\n";
    REQUIRE(::send(fd_, partial.data(), partial.size(), 0) == static_cast<ssize_t>(partial.size()));
  }
  ~StalledClient() { ::close(fd_); }
  StalledClient(const StalledClient&) = delete;
  StalledClient& operator=(const StalledClient&) = delete;

  // Whether the server cut the connection off (EOF or an error answer is readable) within
  // `limit`; 0 = has it already.
  bool closed_by_server_within(std::chrono::milliseconds limit) const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(limit.count())) > 0;
  }

 private:
  int fd_;
};

}  // namespace

TEST_CASE("stop right after start returns: a SIGTERM just after start-up cannot hang shutdown") {
  // httplib's stop() does nothing until its listen loop has begun; start() must not return
  // before then. 200 rounds made the race show without the wait in start().
  for (int round = 0; round < 200; ++round) {
    HttpServer server(loopback_any_port(), HttpHandlers{});
    REQUIRE(server.bind().ok());
    auto stopped = std::async(std::launch::async, [&] {
      server.start();
      server.stop();
    });
    REQUIRE_MESSAGE(stopped.wait_for(std::chrono::seconds(10)) == std::future_status::ready,
                    "round " << round << ": stop() did not return");
  }
}

TEST_CASE("with gateway.tls the listener speaks HTTPS with the configured certificate") {
  aof::testing::TempDir certs;
  aof::testing::make_test_certificates(certs);
  auto options = loopback_any_port();
  options.tls_cert_file = (certs.path() / "server.crt").string();
  options.tls_key_file = (certs.path() / "server.key").string();
  HttpServer server(options, ok_handlers());
  REQUIRE(server.bind().ok());
  server.start();

  httplib::SSLClient tls("127.0.0.1", server.port());
  tls.set_ca_cert_path((certs.path() / "ca.crt").string().c_str());
  tls.enable_server_certificate_verification(true);
  auto answered = tls.Post("/webhook/github", "{}", "application/json");
  REQUIRE(answered);
  CHECK(answered->status == 202);

  httplib::Client plain("127.0.0.1", server.port());
  plain.set_read_timeout(5, 0);
  auto refused = plain.Get("/healthz");
  CHECK_FALSE((refused && refused->status == 200));  // plain HTTP gets no answer
  server.stop();
}

TEST_CASE("an unusable TLS certificate stops start-up with a message naming it") {
  aof::testing::TempDir certs;
  auto options = loopback_any_port();
  options.tls_cert_file = (certs.path() / "missing.crt").string();
  options.tls_key_file = (certs.path() / "missing.key").string();
  HttpServer server(options, ok_handlers());
  const auto bound = server.bind();
  REQUIRE_FALSE(bound.ok());
  CHECK(bound.error().code() == ErrorCode::kInvalidArgument);
  CHECK(bound.error().message().find("missing.crt") != std::string::npos);
  CHECK(bound.error().message().find("gateway.tls") != std::string::npos);
}

TEST_CASE("slow clients hold a pool thread each until the read and keep-alive timeouts") {
  // httplib answers a request it could not read with 400 and then waits keep_alive_timeout
  // for the next one on the same connection: a silent client holds its thread for both.
  auto options = loopback_any_port();
  options.engine = HttpEngineKind::kHttplib;  // the event loop holds no thread per connection
  options.threads = 4;
  options.read_timeout_secs = 1;
  options.keep_alive_timeout_secs = 1;
  HttpServer server(options, ok_handlers());
  REQUIRE(server.bind().ok());
  server.start();
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(30, 0);

  SUBCASE("fewer slow clients than threads: others are answered meanwhile") {
    std::vector<std::unique_ptr<StalledClient>> slow;
    for (int i = 0; i < 3; ++i) slow.push_back(std::make_unique<StalledClient>(server.port()));
    auto answered = client.Post("/webhook/github", "{}", "application/json");
    REQUIRE(answered);
    CHECK(answered->status == 202);
    for (const auto& s : slow) CHECK(s->closed_by_server_within(std::chrono::seconds(15)));
  }
  SUBCASE("as many slow clients as threads: the next request waits until they are cut off") {
    std::vector<std::unique_ptr<StalledClient>> slow;
    for (int i = 0; i < 4; ++i) slow.push_back(std::make_unique<StalledClient>(server.port()));
    auto answered = client.Post("/webhook/github", "{}", "application/json");
    REQUIRE_MESSAGE(answered, "error " << httplib::to_string(answered.error()));
    CHECK(answered->status == 202);
    // Served only once the read timeout had freed a slow client's thread: by then at least
    // one of them is already cut off.
    int cut_already = 0;
    for (const auto& s : slow) cut_already += s->closed_by_server_within(std::chrono::milliseconds(0));
    CHECK(cut_already >= 1);
    for (const auto& s : slow) CHECK(s->closed_by_server_within(std::chrono::seconds(15)));
  }
  server.stop();
}

}  // namespace aof::sidecar
