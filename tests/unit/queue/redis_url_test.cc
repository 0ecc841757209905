#include "common/queue/redis/redis_url.h"

#include <doctest/doctest.h>

namespace aof::queue {
namespace {

RedisEndpoint parsed(const std::string& url) {
  auto endpoint = parse_redis_url(url);
  if (!endpoint.ok()) FAIL(url << ": " << endpoint.error().message());
  return *endpoint;
}

std::string refusal(const std::string& url) {
  auto endpoint = parse_redis_url(url);
  REQUIRE_FALSE(endpoint.ok());
  CHECK(endpoint.error().code() == ErrorCode::kInvalidArgument);
  return endpoint.error().message();
}

TEST_CASE("redis urls: host, port and database with defaults") {
  const auto plain = parsed("redis://redis");
  CHECK(plain.host == "redis");
  CHECK(plain.port == 6379);
  CHECK(plain.db == 0);
  CHECK_FALSE(plain.tls);
  CHECK(plain.password.empty());

  const auto full = parsed("redis://10.0.0.5:6380/3");
  CHECK(full.host == "10.0.0.5");
  CHECK(full.port == 6380);
  CHECK(full.db == 3);
  CHECK(full.address() == "10.0.0.5:6380");

  const auto ipv6 = parsed("redis://[::1]:7000/");
  CHECK(ipv6.host == "::1");
  CHECK(ipv6.port == 7000);
  CHECK(ipv6.address() == "[::1]:7000");
}

TEST_CASE("redis urls: credentials, percent-decoded, never in the address") {
  const auto password_only = parsed("redis://s3cret@host");
  CHECK(password_only.user.empty());
  CHECK(password_only.password == "s3cret");

  const auto empty_user = parsed("redis://:s3cret@host");
  CHECK(empty_user.user.empty());
  CHECK(empty_user.password == "s3cret");

  const auto acl = parsed("redis://worker:p%40ss%3Aw0rd@host:6390");
  CHECK(acl.user == "worker");
  CHECK(acl.password == "p@ss:w0rd");
  CHECK(acl.address() == "host:6390");
}

TEST_CASE("redis urls: rediss:// turns TLS on, options set the CA and timeouts") {
  const auto tls =
      parsed("rediss://cache.internal:6380?ca_file=/etc/ca.pem&server_name=redis.prod&"
             "connect_timeout_ms=250&io_timeout_ms=9000");
  CHECK(tls.tls);
  CHECK(tls.ca_file == "/etc/ca.pem");
  CHECK(tls.server_name == "redis.prod");
  CHECK(tls.connect_timeout == Millis(250));
  CHECK(tls.io_timeout == Millis(9000));
}

TEST_CASE("redis urls: what is wrong is named") {
  CHECK(refusal("http://host").find("scheme must be redis:// or rediss://") != std::string::npos);
  CHECK(refusal("redis://host:0").find("port '0' is not 1..65535") != std::string::npos);
  CHECK(refusal("redis://host:99999").find("not 1..65535") != std::string::npos);
  CHECK(refusal("redis://host:6379/x").find("database 'x' is not a number") != std::string::npos);
  CHECK(refusal("redis://:6379").find("no host") != std::string::npos);
  CHECK(refusal("redis://host?tls=1").find("unknown option 'tls'") != std::string::npos);
  CHECK(refusal("redis://host?io_timeout_ms=0").find("io_timeout_ms must be") !=
        std::string::npos);
  CHECK(refusal("redis://us%zzer:pw@host").find("percent-encoding") != std::string::npos);
  CHECK(refusal("redis://pw%4@host").find("percent-encoding") != std::string::npos);
  CHECK(refusal("redis://[::1:6379").find("unclosed [") != std::string::npos);
}

TEST_CASE("redis urls: a password never appears in an error") {
  const std::string message = refusal("redis://user:hunter2@host:notaport");
  CHECK(message.find("hunter2") == std::string::npos);
}

}  // namespace
}  // namespace aof::queue
