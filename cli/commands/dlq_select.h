#pragma once
// Choosing dead letters for `aof dlq list`, `replay --all` and `purge --all|--older-than`.
// A dead letter's failure time is its last history entry's time (every path to the DLQ —
// a failed attempt, an expired last lease — appends one), else its received_at.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/event/envelope.h"
#include "common/queue/queue.h"

namespace aof::cli {

// The most dead letters one command reads (the default queue.retention.dlq_max).
inline constexpr std::size_t kDeadLetterScan = 100000;

struct DeadLetterFilter {
  std::optional<std::string> platform;
  std::optional<Millis> since;       // failed at most this long ago
  std::optional<Millis> older_than;  // failed at least this long ago
  // --filter key=value, exact match; keys: platform, event, action, tenant, trigger,
  // target, delivery_id, error (the last error class).
  std::map<std::string, std::string> match;

  bool empty() const { return !platform && !since && !older_than && match.empty(); }
};

// Parses "--filter key=value" flags into `filter.match`; kInvalidArgument names a bad one.
Status parse_match_flags(const std::vector<std::string>& flags, DeadLetterFilter& filter);

std::string failed_at(const event::Envelope& dead);
// The last history entry as "error_class: message" ("" without history).
std::string last_error(const event::Envelope& dead);

// The newest dead letters that pass `filter`, oldest first, at most `limit` (0 = all).
Result<std::vector<event::Envelope>> select_dead_letters(queue::Queue& queue,
                                                         const DeadLetterFilter& filter,
                                                         std::size_t limit, TimePoint now);

}  // namespace aof::cli
