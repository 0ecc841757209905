#include "sidecar/httplib_client.h"

#include <httplib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <string_view>

namespace aof::sidecar {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// An absolute URL split where httplib wants it: "scheme://host:port" for the client,
// "/path?query" for the request line.
struct SplitUrl {
  std::string origin;  // scheme://authority
  std::string target;  // path and query; "/" when the URL has none
  bool https = false;
};

Result<SplitUrl> split_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  const std::string scheme = lower(url.substr(0, scheme_end));
  if (scheme_end == std::string::npos || (scheme != "http" && scheme != "https")) {
    return Error(ErrorCode::kInvalidArgument, "URL must start with http:// or https://");
  }
  const auto rest = std::string_view(url).substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  const std::string authority(rest.substr(0, authority_end));
  if (authority.empty() || authority.find('@') != std::string::npos ||
      authority.find_first_of(" \t\r\n") != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument, "URL needs a host (and no user:password@)");
  }
  std::string target = authority_end == std::string_view::npos
                           ? std::string("/")
                           : std::string(rest.substr(authority_end));
  target = target.substr(0, target.find('#'));  // a fragment never goes on the wire
  if (target.empty() || target[0] == '?') target.insert(0, "/");
  return SplitUrl{scheme + "://" + authority, target, scheme == "https"};
}

bool is_supported_method(const std::string& method) {
  static constexpr std::array<std::string_view, 6> kMethods = {"GET",   "POST",   "PUT",
                                                               "PATCH", "DELETE", "HEAD"};
  return std::find(kMethods.begin(), kMethods.end(), method) != kMethods.end();
}

// What the caller reads in logs: never the path or query (a query may carry a key).
std::string describe(const HttpRequest& request, const SplitUrl& url) {
  return request.method + " " + url.origin;
}

Error transport_error(httplib::Error error, bool timed_out, const std::string& what) {
  const std::string reason = httplib::to_string(error);
  switch (error) {
    case httplib::Error::ConnectionTimeout:
      return Error(ErrorCode::kTimeout, what + ": connect timed out");
    case httplib::Error::Read:
    case httplib::Error::Write:
      // httplib reports a read that timed out as a plain read error.
      if (timed_out) return Error(ErrorCode::kTimeout, what + ": no answer within the timeout");
      return Error(ErrorCode::kUnavailable, what + ": " + reason);
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return Error(ErrorCode::kUnavailable, what + ": TLS: " + reason);
    default:
      return Error(ErrorCode::kUnavailable, what + ": " + reason);
  }
}

// Names lower-cased; a header sent several times becomes one value joined by ", ".
std::map<std::string, std::string> lower_case_headers(const httplib::Headers& headers) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : headers) {
    auto [it, inserted] = out.emplace(lower(name), value);
    if (!inserted) it->second += ", " + value;
  }
  return out;
}

void configure(httplib::Client& client, const HttpRequest& request, const SplitUrl& url,
               const HttplibClientOptions& options) {
  client.set_connection_timeout(request.timeout);
  client.set_read_timeout(request.timeout);
  client.set_write_timeout(request.timeout);
  client.set_follow_location(request.follow_redirects);
  client.set_url_encode(false);  // the caller's URL is sent as given, already encoded
  client.set_keep_alive(false);
  if (url.https) {
    client.enable_server_certificate_verification(true);
    if (!options.ca_cert_file.empty()) client.set_ca_cert_path(options.ca_cert_file.c_str());
  }
}

}  // namespace

HttplibClient::HttplibClient(HttplibClientOptions options) : options_(std::move(options)) {}

Result<HttpResponse> HttplibClient::send(const HttpRequest& request) const {
  auto url = split_url(request.url);
  if (!url.ok()) return url.error();
  if (!is_supported_method(request.method)) {
    return Error(ErrorCode::kInvalidArgument, "unsupported HTTP method \"" + request.method + "\"");
  }
  httplib::Client client(url->origin);
  configure(client, request, *url, options_);

  httplib::Request out;
  out.method = request.method;
  out.path = url->target;
  for (const auto& [name, value] : request.headers) out.headers.emplace(name, value);
  out.body = request.body;

  const std::size_t cap = request.max_response_bytes;
  bool too_large = false;
  std::string body;
  out.response_handler = [&](const httplib::Response& head) {
    const bool redirect = request.follow_redirects && head.status > 300 && head.status < 400;
    const auto length = head.get_header_value<std::uint64_t>("Content-Length");
    too_large = !redirect && length > cap;
    return !too_large;
  };
  out.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
    too_large = body.size() + size > cap;
    if (!too_large) body.append(data, size);
    return !too_large;
  };

  httplib::Response in;
  httplib::Error error = httplib::Error::Success;
  const auto started = std::chrono::steady_clock::now();
  if (!client.send(out, in, error)) {
    if (too_large) {
      return Error(
          ErrorCode::kResourceExhausted,
          describe(request, *url) + ": response body over " + std::to_string(cap) + " bytes");
    }
    const bool timed_out = std::chrono::steady_clock::now() - started >= request.timeout;
    return transport_error(error, timed_out, describe(request, *url));
  }
  return HttpResponse{in.status, lower_case_headers(in.headers), std::move(body)};
}

}  // namespace aof::sidecar
