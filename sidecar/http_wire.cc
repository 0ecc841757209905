#include "sidecar/http_wire.h"

#include <string_view>

namespace aof::sidecar::http_wire {
namespace {

bool splits_lines(std::string_view text) { return text.find_first_of("\r\n") != text.npos; }

void add_header(std::string& out, std::string_view name, std::string_view value) {
  if (name.empty() || splits_lines(name) || splits_lines(value)) return;
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

std::string serialize(const ingest::IngressResponse& response, bool keep_alive,
                      const Headers& extra) {
  std::string out;
  out.reserve(160 + response.body.size());
  const int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  out.append("HTTP/1.1 ").append(std::to_string(status)).append(" ");
  out.append(reason_phrase(status)).append("\r\n");
  add_header(out, "Content-Type",
             response.content_type.empty() ? "application/json" : response.content_type);
  for (const auto& [name, value] : response.headers) add_header(out, name, value);
  for (const auto& [name, value] : extra) add_header(out, name, value);
  out.append("Content-Length: ").append(std::to_string(response.body.size())).append("\r\n");
  out.append(keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n");
  out.append(response.body);
  return out;
}

}  // namespace aof::sidecar::http_wire
