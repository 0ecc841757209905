#pragma once
// Outbound HTTP as a seam (STYLE: common/ knows nothing of an HTTP library). The executor's
// LLM providers, tools and report-backs call through an HttpClient; the binaries hand in the
// cpp-httplib implementation (sidecar/httplib_client.h), tests the same one pointed at
// loopback servers that speak the real wire formats. Base URLs are configuration.

#include <chrono>
#include <cstddef>
#include <map>
#include <string>

#include "common/base/result.h"

namespace aof {

struct HttpRequest {
  std::string method = "GET";                  // GET, POST, PUT, PATCH, DELETE, HEAD
  std::string url;                             // absolute: http://host:port/path?query, https://
  std::map<std::string, std::string> headers;  // as sent (Content-Type included)
  std::string body;
  std::chrono::milliseconds timeout{60000};    // connect + read + write, each
  std::size_t max_response_bytes = 16u << 20;  // a longer response body is an error
  bool follow_redirects = false;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends one request. Any HTTP status is a response (the caller decides what 429 or 500
  // means); errors are transport failures only: kInvalidArgument (bad URL or method),
  // kUnavailable (connect refused, DNS, TLS, connection reset), kTimeout,
  // kResourceExhausted (response over max_response_bytes). Thread-safe.
  virtual Result<HttpResponse> send(const HttpRequest& request) const = 0;
};

}  // namespace aof
