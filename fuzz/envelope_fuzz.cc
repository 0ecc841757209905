// Envelopes come back from the broker (untrusted bytes): parsing must never crash, and an
// envelope that parses must write back to text that parses to the same envelope.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/event/envelope.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = aof::event::parse_envelope(text);
  if (!parsed.ok()) return 0;
  const auto again = aof::event::parse_envelope(aof::event::to_json(*parsed));
  if (!again.ok()) std::abort();
  if (aof::event::to_json(*again) != aof::event::to_json(*parsed)) std::abort();
  return 0;
}
