#include "common/ingest/platforms/request_read.h"

namespace aof::ingest {
namespace {

bool printable_ascii(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

Error malformed(std::string why) { return Error(ErrorCode::kInvalidArgument, std::move(why)); }

bool is_token(std::string_view text, std::size_t max_bytes) {
  if (text.empty() || text.size() > max_bytes) return false;
  for (const char c : text) {
    if (c <= 0x20 || c > 0x7e) return false;
  }
  return true;
}

Result<std::string> optional_header(const IngressRequest& request, const char* name,
                                    std::string_view label, std::size_t max_bytes) {
  const auto it = request.headers.find(name);
  if (it == request.headers.end()) return std::string();
  const std::string& value = it->second;
  if (value.empty() || value.size() > max_bytes || !printable_ascii(value)) {
    return malformed("invalid " + std::string(label) + " header");
  }
  return value;
}

Result<std::string> required_header(const IngressRequest& request, const char* name,
                                    std::string_view label, std::size_t max_bytes) {
  if (request.headers.find(name) == request.headers.end()) {
    return malformed("missing " + std::string(label) + " header");
  }
  return optional_header(request, name, label, max_bytes);
}

Result<std::string> delivery_header(const IngressRequest& request,
                                    std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const auto it = request.headers.find(name);
    if (it == request.headers.end()) continue;
    if (!is_token(it->second)) return malformed("invalid " + std::string(name) + " header");
    return it->second;
  }
  return std::string();
}

}  // namespace aof::ingest
