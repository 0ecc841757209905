#include "common/queue/nats/nats_url.h"

#include <optional>
#include <string_view>

#include "common/queue/url_text.h"

namespace aof::queue {
namespace {

Error bad_url(const std::string& why) {
  return Error(ErrorCode::kInvalidArgument,
               "queue.url: " + why + " (expected nats://[user:password@]host[:port] or tls://...)");
}

Status apply_option(NatsEndpoint& endpoint, std::string_view name, std::string_view value) {
  if (name == "ca_file" || name == "server_name") {
    if (!endpoint.tls) return bad_url(std::string(name) + " needs tls://");
    (name == "ca_file" ? endpoint.ca_file : endpoint.server_name) = std::string(value);
  } else if (name == "connect_timeout_ms" || name == "io_timeout_ms") {
    const auto ms = parse_url_int(value, 1, 3600000);
    if (!ms) return bad_url(std::string(name) + " must be 1..3600000");
    (name == "connect_timeout_ms" ? endpoint.connect_timeout : endpoint.io_timeout) = Millis(*ms);
  } else {
    return bad_url("unknown option '" + std::string(name) + "'");
  }
  return ok_status();
}

Status parse_query(NatsEndpoint& endpoint, std::string_view query) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) return bad_url("option '" + std::string(pair) + "' needs =");
    const auto value = percent_decode(pair.substr(eq + 1));
    if (!value) return bad_url("bad percent-encoding in option " + std::string(pair.substr(0, eq)));
    if (auto applied = apply_option(endpoint, pair.substr(0, eq), *value); !applied) return applied;
  }
  return ok_status();
}

Status parse_userinfo(NatsEndpoint& endpoint, std::string_view userinfo) {
  const auto colon = userinfo.find(':');
  const auto user = percent_decode(userinfo.substr(0, colon));
  const auto password = percent_decode(
      colon == std::string_view::npos ? std::string_view() : userinfo.substr(colon + 1));
  if (!user || !password) return bad_url("bad percent-encoding in the user or password");
  endpoint.user = *user;
  endpoint.password = *password;
  return ok_status();
}

Status parse_host_port(NatsEndpoint& endpoint, std::string_view authority) {
  if (authority.find(',') != std::string_view::npos) {
    return bad_url("one server per URL (a cluster is reached through any of its servers)");
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {  // [::1]:4222
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad_url("unclosed [ in the host");
    host = authority.substr(1, close - 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return bad_url("junk after ]");
    if (!rest.empty()) port = rest.substr(1);
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad_url("the host is empty");
  endpoint.host = std::string(host);
  if (!port.empty() || authority.back() == ':') {
    const auto number = parse_url_int(port, 1, 65535);
    if (!number) return bad_url("port must be 1..65535");
    endpoint.port = static_cast<int>(*number);
  }
  return ok_status();
}

}  // namespace

std::string NatsEndpoint::address() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<NatsEndpoint> parse_nats_url(const std::string& url) {
  NatsEndpoint endpoint;
  std::string_view rest = url;
  if (rest.starts_with("nats://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("tls://")) {
    rest.remove_prefix(6);
    endpoint.tls = true;
  } else {
    return bad_url("scheme must be nats:// or tls://");
  }
  const auto query_at = rest.find('?');
  const std::string_view query =
      query_at == std::string_view::npos ? std::string_view() : rest.substr(query_at + 1);
  rest = rest.substr(0, query_at);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos) return bad_url("a NATS URL has no path");
  const auto at = rest.rfind('@');
  if (at != std::string_view::npos) {
    if (auto parsed = parse_userinfo(endpoint, rest.substr(0, at)); !parsed) return parsed.error();
    rest = rest.substr(at + 1);
  }
  if (auto parsed = parse_host_port(endpoint, rest); !parsed) return parsed.error();
  if (auto parsed = parse_query(endpoint, query); !parsed) return parsed.error();
  return endpoint;
}

}  // namespace aof::queue
