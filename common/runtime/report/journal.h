#pragma once
// The report-back journal (DESIGN §5, effect-once): one state-store key per (event id,
// generation), `effect:<id>:<generation>:report`, whose value is JSON
// {"state", "result" | "error", "worker"}. It records the execution's outcome before the post,
// so a redelivery neither re-runs the agent nor posts twice; an operator replay is a new
// generation, a new key, and runs and posts again on purpose.
//
// States and who moves them (every move is a compare-and-set on the whole value):
//   absent  → posting   the worker that finished the execution, just before it posts
//   posting → done      after the post: posted, skipped (nothing to post to) or refused
//   posting → pending   the post failed retryably (transport, 429, 5xx); the event retries
//   pending → posting   the retry posts the recorded outcome without re-running the agent
//   posting → done      (unconfirmed) a redelivery found "posting": the worker holding it died
//                       or lost its lease mid-post, and nobody can tell whether the post landed.
//                       We do NOT post again: a reply that may be missing is logged loudly,
//                       whereas a duplicate comment is visible to every user and cannot be
//                       taken back. The window is one HTTP round trip.
// Two workers racing on one event (a lease expired while the first still ran the agent)
// both try absent → posting; one wins and posts, the other reads the winner's entry and acks.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "common/base/result.h"
#include "common/event/envelope.h"
#include "common/queue/state.h"

namespace aof::runtime::report {

// How long an entry is kept: beyond any redelivery (leases, retries) and dead-letter replay
// of the same generation. 7 days.
inline constexpr Millis kJournalTtl{7LL * 24 * 3600 * 1000};

// A result JSON larger than this is journaled as {"output": <its report text, cut>,
// "journal_truncated": true}: a NATS KV value must fit the server's max_payload (1 MiB by
// default), and a flow's node outputs can exceed it. Only a redelivery sees the reduced form.
inline constexpr std::size_t kMaxJournaledResultBytes = 256u << 10;

// `result` as the journal keeps it (see kMaxJournaledResultBytes).
nlohmann::json journaled_result(const nlohmann::json& result);

struct JournalEntry {
  std::string state;      // posting, pending, done
  bool success = true;    // the execution's outcome
  nlohmann::json result;  // its result JSON (success)
  std::string error;      // its error message (failure)
  std::string outcome;    // done: posted, skipped, refused, unconfirmed
  std::string worker;     // who wrote it last

  std::string encode() const;
  static std::optional<JournalEntry> decode(const std::string& value);  // nullopt: not ours
};

std::string journal_key(const event::Envelope& envelope);

class Journal {
 public:
  explicit Journal(queue::StateStore& state) : state_(state) {}

  // The entry and its raw value (the compare-and-set operand), or nullopt when absent. An
  // unreadable value counts as absent-with-raw so it can be overwritten.
  struct Read {
    std::optional<JournalEntry> entry;
    std::optional<std::string> raw;
  };
  Result<Read> read(const std::string& key);

  // Replaces `expected` (nullopt = absent) with `next`; false when someone else moved first.
  Result<bool> move(const std::string& key, const std::optional<std::string>& expected,
                    const JournalEntry& next);

 private:
  queue::StateStore& state_;
};

}  // namespace aof::runtime::report
