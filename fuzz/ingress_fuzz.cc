// The whole request logic on arbitrary bodies and headers: Ingress::decide must never crash,
// always answer or publish (exactly one), and publish only what verified. Most inputs are
// signed correctly, so the fuzzer gets past the signature into classification and routing.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/base/clock.h"
#include "common/event/envelope.h"
#include "common/ingest/ingress.h"
#include "common/ingest/signature.h"

namespace {

constexpr std::string_view kSecret = "fuzz-secret";
constexpr std::string_view kEvents[] = {"pull_request", "issues", "issue_comment", "push",
                                        "ping",         "release", "../../x",      ""};

aof::ingest::IngressSettings settings() {
  aof::ingest::IngressSettings s;
  s.max_body_bytes = 1 << 20;
  s.github.enabled = true;
  s.github.secrets.push_back({std::string(kSecret), std::nullopt, std::nullopt, "literal"});
  aof::ingest::GithubTriggerSettings trigger;
  trigger.trigger.name = "fuzz";
  trigger.trigger.type = "GitHub";
  trigger.trigger.commands["pull_request.opened"].flow = "review";
  trigger.trigger.commands["push"].flow = "build";
  trigger.trigger.commands["summarize"].agent = "writer";
  trigger.trigger.commands["default"].agent = "helper";
  s.github.triggers.push_back(trigger);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const aof::ingest::Ingress ingress(settings(), aof::SystemClock::instance());
  if (size < 2) return 0;
  aof::ingest::IngressRequest request;
  request.method = "POST";
  request.platform = "github";
  request.path = "/webhook/github";
  request.remote_addr = "127.0.0.1";
  request.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);
  request.headers["x-github-event"] = std::string(kEvents[data[0] % std::size(kEvents)]);
  request.headers["x-github-delivery"] = "delivery-" + std::to_string(size);
  const bool signed_right = data[1] % 4 != 0;
  request.headers["x-hub-signature-256"] =
      signed_right ? "sha256=" + aof::ingest::hex_encode(aof::ingest::hmac_sha256(kSecret, request.body))
                   : "sha256=" + std::string(64, 'a');
  const auto decision = ingress.decide(request);
  if (decision.answer.has_value() == decision.publish.has_value()) std::abort();
  if (decision.publish) {
    if (!signed_right) std::abort();  // published without a valid signature
    if (!aof::event::validate_envelope(*decision.publish).ok()) std::abort();
  }
  return 0;
}
