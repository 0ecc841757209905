#include "common/ingest/envelope_parts.h"

#include "common/base/digest.h"
#include "common/base/ids.h"
#include "common/ingest/trace_context.h"

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
                                                const std::vector<const char*>& names) {
  std::map<std::string, std::string> out;
  for (const char* name : names) {
    const auto it = request.headers.find(name);
    if (it != request.headers.end() && printable_ascii(it->second)) out[name] = it->second;
  }
  return out;
}

event::Envelope envelope_frame(const IngressRequest& request, const char* platform,
                               const Route& route, TimePoint now,
                               const std::vector<const char*>& kept) {
  event::Envelope envelope;
  envelope.id = new_ulid(now);
  envelope.received_at = to_rfc3339(now);
  envelope.platform = platform;
  envelope.trigger = route.trigger;
  envelope.target = route.target;
  envelope.report = route.report;
  envelope.text = bounded_text(route.text);
  envelope.headers = kept_headers(request, kept);
  envelope.body = request.body;
  envelope.traceparent = continue_or_start_trace(header_value(request, "traceparent"));
  return envelope;
}

std::string dedup_key(std::string_view platform, std::string_view delivery_id,
                      std::string_view body) {
  const std::string prefix = std::string(platform) + ":";
  return delivery_id.empty() ? prefix + "sha256:" + sha256_hex(body)
                             : prefix + std::string(delivery_id);
}

std::string header_value(const IngressRequest& request, const char* name) {
  const auto it = request.headers.find(name);
  return it == request.headers.end() ? std::string() : it->second;
}

}  // namespace aof::ingest
