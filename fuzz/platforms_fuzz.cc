// Every adapter platform (platforms.h: GitLab, Bitbucket, Jira, PagerDuty, Opsgenie, generic,
// Telegram) through Ingress::decide on arbitrary bodies and event headers. Byte 0 picks the
// platform, byte 1 the event header's value and whether the request authenticates (3 in 4
// do, so the fuzzer gets past verification into the parsers and routing); the rest is the
// body. Properties: exactly one of answer / publish; a publish only for a request that
// authenticated, only of a valid envelope (every field within EnvelopeLimits), and never
// carrying the header that holds a platform's secret itself.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/clock.h"
#include "common/event/envelope.h"
#include "common/ingest/ingress.h"
#include "common/ingest/signature.h"

namespace {

using aof::ingest::IngressRequest;

constexpr std::string_view kSecret = "fuzz-secret";

std::string hmac_hex(std::string_view body) {
  return aof::ingest::hex_encode(aof::ingest::hmac_sha256(kSecret, body));
}

struct Platform {
  const char* name;
  const char* trigger_type;
  const char* event_header;  // "" = the platform has none
  std::vector<std::string> events;
  const char* secret_header;  // carries the secret itself (never kept), "" = a signature
  void (*authenticate)(IngressRequest& request, bool right);
};

void hub_signature(IngressRequest& r, bool right) {
  r.headers["x-hub-signature"] = "sha256=" + (right ? hmac_hex(r.body) : std::string(64, 'a'));
}

const std::vector<Platform>& platforms() {
  static const std::vector<Platform> all = {
      {"gitlab", "GitLab", "x-gitlab-event",
       {"Merge Request Hook", "Note Hook", "Pipeline Hook", "Push Hook", "", "Bad\x01Hook"},
       "x-gitlab-token",
       [](IngressRequest& r, bool right) {
         r.headers["x-gitlab-token"] = right ? std::string(kSecret) : "wrong";
       }},
      {"bitbucket", "Bitbucket", "x-event-key",
       {"pullrequest:created", "pullrequest:comment_created", "repo:push", "pr:opened",
        "pr:comment:added", "repo:refs_changed", "diagnostics:ping", ":", ""},
       "", hub_signature},
      {"jira", "Jira", "", {""}, "", hub_signature},
      {"pagerduty", "PagerDuty", "", {""}, "",
       [](IngressRequest& r, bool right) {
         r.headers["x-pagerduty-signature"] =
             "v1=" + std::string(64, 'b') + ",v1=" + (right ? hmac_hex(r.body) : "00");
       }},
      {"opsgenie", "Opsgenie", "", {""}, "authorization",
       [](IngressRequest& r, bool right) {
         r.headers["authorization"] = "Bearer " + std::string(right ? kSecret : "wrong");
       }},
      {"generic", "Generic", "x-event-type", {"deploy", "webhook", "", "two words"}, "",
       [](IngressRequest& r, bool right) {
         r.headers["x-signature"] = "sha256=" + (right ? hmac_hex(r.body) : std::string(64, 'c'));
       }},
      {"telegram", "Telegram", "", {""}, "x-telegram-bot-api-secret-token",
       [](IngressRequest& r, bool right) {
         r.headers["x-telegram-bot-api-secret-token"] = right ? std::string(kSecret) : "wrong";
       }},
  };
  return all;
}

// One trigger per platform binding a key of each kind, and `default`, so most messages
// that parse are published and their envelopes checked.
aof::ingest::TriggerSettings trigger_for(const Platform& p) {
  aof::ingest::TriggerSettings t;
  t.trigger.name = std::string("fuzz-") + p.name;
  t.trigger.type = p.trigger_type;
  for (const char* key : {"merge_request.open", "pipeline.failed", "pullrequest:created",
                          "issue_created", "incident.triggered", "Create", "deploy", "review"}) {
    t.trigger.commands[key].flow = "flow";
  }
  t.trigger.commands["default"].agent = "helper";
  t.filters = aof::ingest::TriggerFilters::compile(t.trigger).value();
  return t;
}

aof::ingest::IngressSettings settings() {
  aof::ingest::IngressSettings s;
  s.max_body_bytes = 1 << 20;
  s.default_agent = "helper";
  for (const Platform& p : platforms()) {
    aof::ingest::PlatformSettings& platform = s.platforms[p.name];
    platform.name = p.name;
    platform.enabled = true;
    platform.secrets.push_back({std::string(kSecret), std::nullopt, std::nullopt, "literal"});
    platform.triggers.push_back(trigger_for(p));
  }
  s.platforms["generic"].event_header = "x-event-type";
  s.platforms["generic"].delivery_header = "x-delivery-id";
  s.platforms["jira"].allow_lists["allowed_projects"] = {"PROJ", "*"};
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const aof::ingest::Ingress ingress(settings(), aof::SystemClock::instance());
  if (size < 2) return 0;
  const Platform& p = platforms()[data[0] % platforms().size()];
  IngressRequest request;
  request.method = "POST";
  request.platform = p.name;
  request.path = std::string("/webhook/") + p.name;
  request.remote_addr = "127.0.0.1";
  request.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);
  request.headers["content-type"] = "application/json";
  const std::string& event = p.events[(data[1] >> 2) % p.events.size()];
  if (*p.event_header != '\0' && !event.empty()) request.headers[p.event_header] = event;
  const bool right = data[1] % 4 != 0;
  p.authenticate(request, right);
  const auto decision = ingress.decide(request);
  if (decision.answer.has_value() == decision.publish.has_value()) std::abort();
  if (decision.publish) {
    if (!right) std::abort();  // published without authenticating
    if (!aof::event::validate_envelope(*decision.publish).ok()) std::abort();
    if (*p.secret_header != '\0' && decision.publish->headers.count(p.secret_header)) {
      std::abort();  // the secret itself kept in the envelope
    }
  }
  return 0;
}
