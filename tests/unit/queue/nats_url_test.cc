#include "common/queue/nats/nats_url.h"

#include <doctest/doctest.h>

namespace aof::queue {
namespace {

NatsEndpoint parsed(const std::string& url) {
  auto endpoint = parse_nats_url(url);
  if (!endpoint.ok()) FAIL(url << ": " << endpoint.error().message());
  return *endpoint;
}

std::string refusal(const std::string& url) {
  auto endpoint = parse_nats_url(url);
  REQUIRE_FALSE(endpoint.ok());
  CHECK(endpoint.error().code() == ErrorCode::kInvalidArgument);
  return endpoint.error().message();
}

TEST_CASE("nats urls: host and port with defaults") {
  const auto plain = parsed("nats://nats");
  CHECK(plain.host == "nats");
  CHECK(plain.port == 4222);
  CHECK_FALSE(plain.tls);
  CHECK(plain.user.empty());
  CHECK(plain.address() == "nats:4222");

  const auto full = parsed("nats://10.0.0.5:4333/");
  CHECK(full.host == "10.0.0.5");
  CHECK(full.port == 4333);
  CHECK(parsed("nats://[::1]:4222").address() == "[::1]:4222");
}

TEST_CASE("nats urls: user and password are percent-decoded and never echoed") {
  const auto endpoint = parsed("nats://aof%40ops:p%3Ass@nats:4222");
  CHECK(endpoint.user == "aof@ops");
  CHECK(endpoint.password == "p:ss");
  CHECK(endpoint.address() == "nats:4222");
  const std::string message = refusal("nats://aof:s3cret@nats:99999");
  CHECK(message.find("s3cret") == std::string::npos);
  CHECK(message.find("port must be 1..65535") != std::string::npos);
}

TEST_CASE("nats urls: tls:// verifies the server, with ca_file and server_name options") {
  const auto endpoint =
      parsed("tls://nats.internal:4443?ca_file=/etc/aof/ca.pem&server_name=nats&io_timeout_ms=250");
  CHECK(endpoint.tls);
  CHECK(endpoint.ca_file == "/etc/aof/ca.pem");
  CHECK(endpoint.server_name == "nats");
  CHECK(endpoint.io_timeout == Millis(250));
  CHECK(parsed("nats://h?connect_timeout_ms=100").connect_timeout == Millis(100));
}

TEST_CASE("nats urls: what is refused says why") {
  CHECK(refusal("redis://h:4222").find("scheme must be nats:// or tls://") != std::string::npos);
  CHECK(refusal("nats://").find("the host is empty") != std::string::npos);
  CHECK(refusal("nats://a:4222,b:4222").find("one server per URL") != std::string::npos);
  CHECK(refusal("nats://h/path").find("no path") != std::string::npos);
  CHECK(refusal("nats://h?ca_file=x").find("ca_file needs tls://") != std::string::npos);
  CHECK(refusal("nats://h?color=red").find("unknown option 'color'") != std::string::npos);
  CHECK(refusal("nats://h?io_timeout_ms=0").find("io_timeout_ms must be 1..3600000") !=
        std::string::npos);
}

}  // namespace
}  // namespace aof::queue
