#include "common/ingest/envelope_parts.h"

namespace aof::ingest {
namespace {

constexpr std::size_t kMaxTextBytes = 16 * 1024;

bool printable_ascii(std::string_view s) {
  for (const char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

std::string bounded_text(const std::string& text) {
  if (text.size() <= kMaxTextBytes) return text;
  std::size_t cut = kMaxTextBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

std::map<std::string, std::string> kept_headers(const IngressRequest& request,
                                                std::initializer_list<const char*> names) {
  std::map<std::string, std::string> out;
  for (const char* name : names) {
    const auto it = request.headers.find(name);
    if (it != request.headers.end() && printable_ascii(it->second)) out[name] = it->second;
  }
  return out;
}

std::string header_value(const IngressRequest& request, const char* name) {
  const auto it = request.headers.find(name);
  return it == request.headers.end() ? std::string() : it->second;
}

}  // namespace aof::ingest
