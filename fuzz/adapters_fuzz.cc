// Every adapter platform's request logic (common/ingest/platforms.h) on arbitrary bodies and
// header values: Ingress::decide must never crash, always answer or publish (exactly one),
// and publish only envelopes that validate. Input: "<platform>\n<header value>\n<body>";
// the platforms run insecure (no secret), so every input reaches the parser and routing.
// New adapters are covered as soon as they are in platform_adapters().
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/base/clock.h"
#include "common/event/envelope.h"
#include "common/ingest/ingress.h"
#include "common/ingest/platforms.h"

namespace {

aof::ingest::IngressSettings settings() {
  aof::ingest::IngressSettings s;
  s.max_body_bytes = 1 << 20;
  s.default_agent = "helper";
  for (const auto& adapter : aof::ingest::platform_adapters()) {
    aof::ingest::PlatformSettings& p = s.platforms[std::string(adapter.name)];
    p.name = std::string(adapter.name);
    p.enabled = true;
    p.insecure = true;
    aof::ingest::TriggerSettings trigger;
    trigger.trigger.name = "fuzz-" + p.name;
    trigger.trigger.type = std::string(adapter.trigger_type);
    trigger.trigger.commands["default"].agent = "helper";
    trigger.trigger.commands["deploy"].flow = "deploy";
    p.triggers.push_back(trigger);
  }
  return s;
}

// The headers the parsers read, all given the fuzzed value.
constexpr const char* kHeaders[] = {"x-gitlab-event",       "x-gitlab-event-uuid",
                                    "x-event-key",          "x-request-uuid",
                                    "x-atlassian-webhook-identifier", "x-event-type",
                                    "x-delivery-id",        "x-request-id"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const aof::ingest::Ingress ingress(settings(), aof::SystemClock::instance());
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto first = input.find('\n');
  if (first == std::string_view::npos) return 0;
  const auto second = input.find('\n', first + 1);
  if (second == std::string_view::npos) return 0;
  aof::ingest::IngressRequest request;
  request.method = "POST";
  request.platform = std::string(input.substr(0, first));
  request.path = "/webhook/" + request.platform;
  request.remote_addr = "127.0.0.1";
  const std::string value(input.substr(first + 1, second - first - 1));
  for (const char* name : kHeaders) request.headers[name] = value;
  request.headers["content-type"] = "application/json";
  request.body.assign(input.substr(second + 1));
  const auto decision = ingress.decide(request);
  if (decision.answer.has_value() == decision.publish.has_value()) std::abort();
  if (decision.publish && !aof::event::validate_envelope(*decision.publish).ok()) std::abort();
  return 0;
}
