// Header values and URLs read from requests and configuration: traceparent, GitHub's event
// header, hex digests, base64 bodies, broker URLs (provider signatures: verify_fuzz.cc). Never a crash; base64 that decodes
// must encode back to a string that decodes to the same bytes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/event/body_codec.h"
#include "common/ingest/github.h"
#include "common/ingest/signature.h"
#include "common/ingest/trace_context.h"
#include "common/queue/nats/nats_url.h"
#include "common/queue/redis/redis_url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string trace = aof::ingest::continue_or_start_trace(text);
  if (!aof::ingest::is_valid_traceparent(trace)) std::abort();
  (void)aof::ingest::is_valid_github_event_name(text);
  if (const auto raw = aof::ingest::hex_decode(text)) {
    if (aof::ingest::hex_decode(aof::ingest::hex_encode(*raw)) != raw) std::abort();
  }
  if (const auto decoded = aof::event::base64_decode(text); decoded.ok()) {
    const auto again = aof::event::base64_decode(aof::event::base64_encode(*decoded));
    if (!again.ok() || *again != *decoded) std::abort();
  }
  (void)aof::queue::parse_redis_url(std::string(text));
  (void)aof::queue::parse_nats_url(std::string(text));
  return 0;
}
