#include "common/queue/redis/redis_url.h"

#include <optional>
#include <string_view>

#include "common/queue/url_text.h"

namespace aof::queue {
namespace {

Error bad_url(const std::string& why) {
  return Error(ErrorCode::kInvalidArgument,
               "queue.url: " + why +
                   " (expected redis://[user:password@]host[:port][/db] or rediss://...)");
}

Status apply_option(RedisEndpoint& endpoint, std::string_view name, std::string_view value) {
  if (name == "ca_file") {
    endpoint.ca_file = std::string(value);
  } else if (name == "server_name") {
    endpoint.server_name = std::string(value);
  } else if (name == "connect_timeout_ms" || name == "io_timeout_ms") {
    const auto ms = parse_url_int(value, 1, 3600000);
    if (!ms) return bad_url(std::string(name) + " must be 1..3600000");
    (name == "connect_timeout_ms" ? endpoint.connect_timeout : endpoint.io_timeout) = Millis(*ms);
  } else {
    return bad_url("unknown option '" + std::string(name) +
                   "' (known: ca_file, server_name, connect_timeout_ms, io_timeout_ms)");
  }
  return ok_status();
}

Status parse_options(RedisEndpoint& endpoint, std::string_view query) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) return bad_url("option '" + std::string(pair) + "' has no =");
    if (auto applied = apply_option(endpoint, pair.substr(0, eq), pair.substr(eq + 1));
        !applied) {
      return applied;
    }
  }
  return ok_status();
}

Status parse_userinfo(RedisEndpoint& endpoint, std::string_view userinfo) {
  const auto colon = userinfo.find(':');
  auto user = percent_decode(userinfo.substr(0, colon));
  auto password = colon == std::string_view::npos
                      ? std::optional<std::string>(std::string())
                      : percent_decode(userinfo.substr(colon + 1));
  if (!user || !password) return bad_url("bad percent-encoding in user or password");
  if (colon == std::string_view::npos) {
    // redis://secret@host is the common shorthand for a password without a user.
    endpoint.password = *user;
  } else {
    endpoint.user = *user;
    endpoint.password = *password;
  }
  return ok_status();
}

Status parse_host_port(RedisEndpoint& endpoint, std::string_view hostport) {
  std::string_view host = hostport;
  std::string_view port;
  if (!hostport.empty() && hostport.front() == '[') {  // [IPv6]:port
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) return bad_url("unclosed [ in host");
    host = hostport.substr(1, close - 1);
    const auto rest = hostport.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad_url("unexpected text after ]");
      port = rest.substr(1);
    }
  } else if (const auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
  }
  if (host.empty()) return bad_url("no host");
  endpoint.host = std::string(host);
  if (!port.empty()) {
    const auto number = parse_url_int(port, 1, 65535);
    if (!number) return bad_url("port '" + std::string(port) + "' is not 1..65535");
    endpoint.port = static_cast<int>(*number);
  }
  return ok_status();
}

}  // namespace

std::string RedisEndpoint::address() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<RedisEndpoint> parse_redis_url(const std::string& url) {
  RedisEndpoint endpoint;
  std::string_view rest = url;
  if (rest.starts_with("redis://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("rediss://")) {
    rest.remove_prefix(9);
    endpoint.tls = true;
  } else {
    return bad_url("scheme must be redis:// or rediss://");
  }
  if (const auto question = rest.find('?'); question != std::string_view::npos) {
    if (auto parsed = parse_options(endpoint, rest.substr(question + 1)); !parsed) return parsed.error();
    rest = rest.substr(0, question);
  }
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    const auto db_text = rest.substr(slash + 1);
    if (!db_text.empty()) {
      const auto db = parse_url_int(db_text, 0, 1 << 20);
      if (!db) return bad_url("database '" + std::string(db_text) + "' is not a number");
      endpoint.db = static_cast<int>(*db);
    }
    rest = rest.substr(0, slash);
  }
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    if (auto parsed = parse_userinfo(endpoint, rest.substr(0, at)); !parsed) return parsed.error();
    rest = rest.substr(at + 1);
  }
  if (auto parsed = parse_host_port(endpoint, rest); !parsed) return parsed.error();
  return endpoint;
}

}  // namespace aof::queue
