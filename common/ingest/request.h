#pragma once
// The plain request and response the ingress logic works on (STYLE: "request logic is a
// function, not a socket"). The HTTP server copies a request into IngressRequest and an
// IngressResponse back onto the wire; nothing here knows which HTTP library is used.

#include <cstddef>
#include <map>
#include <string>

namespace aof::ingest {

inline constexpr std::size_t kMaxQueryParams = 16;
inline constexpr std::size_t kMaxQueryValueBytes = 512;

struct IngressRequest {
  std::string method;                          // "POST"
  std::string path;                            // "/webhook/github"
  std::string platform;                        // the {platform} path segment: "github"
  std::map<std::string, std::string> headers;  // keys lower-cased by the HTTP layer
  std::map<std::string, std::string> query;    // decoded query parameters, bounded
                                               // (kMaxQueryParams, kMaxQueryValueBytes)
  std::string body;                            // raw bytes exactly as received
  std::string remote_addr;                     // peer address, for logs only
};

struct IngressResponse {
  int status = 500;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;  // extra headers (Retry-After)
};

}  // namespace aof::ingest
