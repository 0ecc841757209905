// Slack bodies: JSON events, form-encoded slash commands and interactive payloads. Never a
// crash; a message always carries the event it was parsed as.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/ingest/slack.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view content_type =
      data[0] % 2 == 0 ? "application/json" : "application/x-www-form-urlencoded";
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto parsed = aof::ingest::parse_slack(content_type, body);
  if (parsed.ok() && parsed->kind == aof::ingest::SlackRequest::Kind::kMessage &&
      parsed->event.empty()) {
    std::abort();
  }
  return 0;
}
