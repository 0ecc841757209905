#pragma once
// Webhook requests counted by platform and outcome (DESIGN §9:
// aof_sidecar_requests_total{platform,outcome}). The platforms are a closed list fixed at
// construction — every one the ingress knows, plus "other" for unknown path segments — so a
// caller can never grow the label set. Lock-free; shared across reloads.

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace aof::ingest {

enum class RequestOutcome {
  kAccepted,      // published (broker or spool confirmed)
  kDuplicate,     // the dedup key was seen already
  kPong,          // a handshake answered (ping, url_verification, PING, hub.challenge)
  kIgnored,       // verified, nothing to run
  kUnauthorized,  // 401 / 403
  kMalformed,     // 400, 405
  kNotFound,      // 404
  kTooLarge,      // 413
  kUnavailable,   // 503
  kFailed,        // 500
};
inline constexpr int kRequestOutcomes = 10;

// "accepted", "duplicate", "pong", "ignored", "unauthorized", "malformed", "not_found",
// "too_large", "unavailable", "failed".
const char* to_string(RequestOutcome outcome);

// One platform's (or all platforms') requests by outcome.
struct IngressCounters {
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> duplicate{0};
  std::atomic<std::uint64_t> pong{0};
  std::atomic<std::uint64_t> ignored{0};
  std::atomic<std::uint64_t> unauthorized{0};
  std::atomic<std::uint64_t> malformed{0};
  std::atomic<std::uint64_t> not_found{0};
  std::atomic<std::uint64_t> too_large{0};
  std::atomic<std::uint64_t> unavailable{0};
  std::atomic<std::uint64_t> failed{0};

  std::atomic<std::uint64_t>& at(RequestOutcome outcome);
  const std::atomic<std::uint64_t>& at(RequestOutcome outcome) const;
  std::uint64_t value(RequestOutcome outcome) const {
    return at(outcome).load(std::memory_order_relaxed);
  }
};

class IngressMetrics {
 public:
  IngressMetrics();  // every known platform and "other", all zero
  void count(std::string_view platform, RequestOutcome outcome);
  const IngressCounters& total() const { return total_; }
  // By platform name, "other" included; fixed keys.
  const std::map<std::string, IngressCounters, std::less<>>& by_platform() const {
    return by_platform_;
  }

 private:
  IngressCounters total_;
  std::map<std::string, IngressCounters, std::less<>> by_platform_;  // keys fixed at construction
};

}  // namespace aof::ingest
