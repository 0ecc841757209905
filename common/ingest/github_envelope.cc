#include "common/ingest/github_envelope.h"

#include <array>

#include "common/base/ids.h"
#include "common/ingest/signature.h"
#include "common/ingest/trace_context.h"

namespace aof::ingest {
namespace {

constexpr std::array<const char*, 6> kKeptHeaders = {
    "x-github-event", "x-github-delivery", "x-hub-signature-256",
    "content-type",   "user-agent",        "x-github-hook-id",
};

bool printable_ascii(std::string_view s) {
  for (const char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// The message text is one line of a comment or title, but GitHub allows 65,536-character
// comments (up to 256 KiB of UTF-8): cut it at a character boundary so the envelope stays
// within EnvelopeLimits::max_field_bytes. The full body travels in the envelope anyway.
constexpr std::size_t kMaxTextBytes = 16 * 1024;

std::string bounded_text(const std::string& text) {
  if (text.size() <= kMaxTextBytes) return text;
  std::size_t cut = kMaxTextBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

std::string header(const IngressRequest& request, const char* name) {
  const auto it = request.headers.find(name);
  return it == request.headers.end() ? std::string() : it->second;
}

std::map<std::string, std::string> kept_headers(const IngressRequest& request) {
  std::map<std::string, std::string> out;
  for (const char* name : kKeptHeaders) {
    const auto it = request.headers.find(name);
    if (it != request.headers.end() && printable_ascii(it->second)) out[name] = it->second;
  }
  return out;
}

void set_message(event::Envelope& envelope, GithubMessage&& message) {
  envelope.event = std::move(message.event);
  envelope.action = std::move(message.action);
  envelope.tenant = std::move(message.tenant);
  envelope.channel_id = std::move(message.channel_id);
  envelope.thread_id = std::move(message.thread_id);
  envelope.user = std::move(message.user);
  envelope.metadata = std::move(message.metadata);
}

}  // namespace

std::string github_dedup_key(std::string_view delivery_id, std::string_view body) {
  if (!delivery_id.empty()) return "github:" + std::string(delivery_id);
  return "github:sha256:" + hex_encode(sha256(body));
}

event::Envelope github_envelope(const IngressRequest& request, GithubMessage message,
                                const Route& route, TimePoint now) {
  event::Envelope envelope;
  envelope.id = new_ulid(now);
  envelope.received_at = to_rfc3339(now);
  envelope.platform = "github";
  set_message(envelope, std::move(message));
  envelope.delivery_id = header(request, "x-github-delivery");
  envelope.dedup_key = github_dedup_key(envelope.delivery_id, request.body);
  envelope.trigger = route.trigger;
  envelope.target = route.target;
  envelope.text = bounded_text(route.text);
  envelope.headers = kept_headers(request);
  envelope.body = request.body;
  envelope.traceparent = continue_or_start_trace(header(request, "traceparent"));
  return envelope;
}

}  // namespace aof::ingest
