#pragma once
// The ingress request logic as a plain function (STYLE: "request logic is a function, not a
// socket"). Two phases so the HTTP layer can await the broker in between:
//   decide()           verify, classify, route: an immediate answer, or an envelope to publish
//   answer_published() the provider's answer once the broker replied to that publish
// GitHub and Slack have their own paths; every other platform is a row of platforms.h
// (its scheme, parser and answers) going through decide_platform. A platform not enabled
// is 404.
//
// Answers (DESIGN §5), all application/json:
//   202 {"status":"accepted","event_id"}    published (broker confirmed); Slack: 200, with an
//                                           empty body for slash commands
//   200 {"challenge"}                       Slack url_verification, after its signature verified
//   200 {"status":"duplicate","event_id"}   the dedup key was seen already
//   200 {"status":"pong","zen"}             GitHub ping, only after its signature verified
//   200 {"status":"ignored","reason"}       no binding, repository not allowed, builtin
//   400 {"error"}                           no/invalid X-GitHub-Event, malformed JSON body,
//                                           payload without repository or sender
//   401 {"error":"invalid signature"}       missing or bad X-Hub-Signature-256
//   404 {"error":"unknown platform: X"}     platform not handled or not enabled
//   405 {"error"}                           not a POST
//   413 {"error":"body exceeds N bytes"}    over gateway.max_body_bytes
//   503 {"error"} + Retry-After: 5          broker unavailable or full (our failure: never 2xx/4xx)
//   500 {"error"}                           the broker refused the envelope as invalid (a bug)

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/clock.h"
#include "common/event/envelope.h"
#include "common/ingest/ingress_metrics.h"
#include "common/ingest/platform_message.h"
#include "common/ingest/request.h"
#include "common/ingest/settings.h"

namespace spdlog {
class logger;
}

namespace aof::ingest {

struct PlatformAdapter;

// What the broker said about a publish; the HTTP layer maps queue results to it, so ingest
// does not depend on the queue seam.
enum class PublishOutcome {
  kAccepted,     // durably written
  kDuplicate,    // dedup key already seen: not written again
  kUnavailable,  // broker unreachable or timed out (and no spool took it)
  kFull,         // broker or spool at its limit
  kInvalid,      // broker refused the envelope (too large for it, malformed): our bug
};

class Ingress {
 public:
  struct Decision {
    std::optional<IngressResponse> answer;   // set: send it, nothing to publish
    std::optional<event::Envelope> publish;  // set: publish, then answer_published()
    std::string why;  // with publish: which binding chose the target ("binding
                      // pull_request.opened of trigger gh-prs")
    RequestOutcome outcome = RequestOutcome::kAccepted;  // with answer: what it counts as
  };

  // `clock` must outlive the Ingress. `metrics`: shared with the Ingress this one replaces
  // on a reload, so the metrics keep counting (null = new ones).
  Ingress(IngressSettings settings, const Clock& clock,
          std::shared_ptr<IngressMetrics> metrics = nullptr);
  ~Ingress();
  Ingress(const Ingress&) = delete;
  Ingress& operator=(const Ingress&) = delete;

  // Thread-safe, no I/O, never throws. Exactly one of answer / publish is set.
  Decision decide(const IngressRequest& request) const;

  // The answer for a decided envelope once the broker replied. Thread-safe. For a duplicate,
  // `existing_event_id` is the id the first delivery was accepted under when the broker
  // knows it ("" → this envelope's id).
  IngressResponse answer_published(const event::Envelope& envelope, PublishOutcome outcome,
                                   std::string_view existing_event_id = {}) const;

  // All platforms' requests by outcome.
  const IngressCounters& counters() const { return metrics_->total(); }
  const IngressMetrics& metrics() const { return *metrics_; }
  std::shared_ptr<IngressMetrics> shared_metrics() const { return metrics_; }
  const IngressSettings& settings() const { return settings_; }

 private:
  Decision decide_github(const IngressRequest& request) const;
  Decision decide_slack(const IngressRequest& request) const;
  Decision decide_platform(const PlatformAdapter& adapter, const PlatformSettings& platform,
                           const IngressRequest& request) const;
  // The verified, parsed message of an adapter platform: allow-lists, bot check, filters,
  // routing.
  Decision route_platform(const PlatformAdapter& adapter, const PlatformSettings& platform,
                          const IngressRequest& request, PlatformMessage message,
                          const std::vector<const TriggerSettings*>& admitted,
                          TimePoint now) const;
  // 405 (not a POST) or 413 (too large), before anything else is read.
  std::optional<Decision> refuse_early(const IngressRequest& request) const;
  Decision route_payload(const IngressRequest& request, const std::string& event,
                         const std::vector<const TriggerSettings*>& admitted, TimePoint now) const;
  Decision decide_uncounted(const IngressRequest& request) const;
  static Decision answer(IngressResponse response, RequestOutcome outcome);

  IngressSettings settings_;
  const Clock& clock_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<IngressMetrics> metrics_;  // atomics: bumped from const request methods
};

}  // namespace aof::ingest
