#include "common/ingest/ingress_metrics.h"

#include <utility>

#include "common/ingest/platforms.h"

namespace aof::ingest {

const char* to_string(RequestOutcome outcome) {
  switch (outcome) {
    case RequestOutcome::kAccepted:
      return "accepted";
    case RequestOutcome::kDuplicate:
      return "duplicate";
    case RequestOutcome::kPong:
      return "pong";
    case RequestOutcome::kIgnored:
      return "ignored";
    case RequestOutcome::kUnauthorized:
      return "unauthorized";
    case RequestOutcome::kMalformed:
      return "malformed";
    case RequestOutcome::kNotFound:
      return "not_found";
    case RequestOutcome::kTooLarge:
      return "too_large";
    case RequestOutcome::kUnavailable:
      return "unavailable";
    case RequestOutcome::kFailed:
      return "failed";
  }
  return "failed";
}

std::atomic<std::uint64_t>& IngressCounters::at(RequestOutcome outcome) {
  // One switch, in the const overload; the object is not const here.
  return const_cast<std::atomic<std::uint64_t>&>(std::as_const(*this).at(outcome));
}

const std::atomic<std::uint64_t>& IngressCounters::at(RequestOutcome outcome) const {
  switch (outcome) {
    case RequestOutcome::kAccepted:
      return accepted;
    case RequestOutcome::kDuplicate:
      return duplicate;
    case RequestOutcome::kPong:
      return pong;
    case RequestOutcome::kIgnored:
      return ignored;
    case RequestOutcome::kUnauthorized:
      return unauthorized;
    case RequestOutcome::kMalformed:
      return malformed;
    case RequestOutcome::kNotFound:
      return not_found;
    case RequestOutcome::kTooLarge:
      return too_large;
    case RequestOutcome::kUnavailable:
      return unavailable;
    case RequestOutcome::kFailed:
      return failed;
  }
  return failed;
}

IngressMetrics::IngressMetrics() {
  by_platform_.try_emplace("github");
  by_platform_.try_emplace("slack");
  by_platform_.try_emplace("other");
  for (const PlatformAdapter& adapter : platform_adapters()) {
    by_platform_.try_emplace(std::string(adapter.name));
  }
}

void IngressMetrics::count(std::string_view platform, RequestOutcome outcome) {
  total_.at(outcome).fetch_add(1, std::memory_order_relaxed);
  auto it = by_platform_.find(platform);
  if (it == by_platform_.end()) it = by_platform_.find("other");
  it->second.at(outcome).fetch_add(1, std::memory_order_relaxed);
}

}  // namespace aof::ingest
