#pragma once
// The broker-wide pause of consumption (DESIGN §5 "Drain"; `aof drain` / `aof resume`). It is
// one state-store key, so it works on every backend and survives worker restarts: a worker
// started while it is set comes up paused. Workers read it at least every 250 ms
// (runtime/worker.h), so a pause is honoured within a second.
//
// Stored under kPauseKey as JSON {"all": bool, "consumers": [names], "by": "user@host",
// "at": RFC 3339}; read-modify-write goes through compare_and_set, so two operators pausing
// different workers at once both win.

#include <optional>
#include <set>
#include <string>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/queue/state.h"

namespace aof::queue {

inline constexpr const char* kPauseKey = "pause";

struct PauseState {
  bool all = false;                 // every consumer is paused
  std::set<std::string> consumers;  // these consumers are paused (when not `all`)
  std::string by;                   // who paused last (user@host)
  std::string at;                   // when (RFC 3339)

  bool pauses(const std::string& consumer) const { return all || consumers.contains(consumer); }
  bool empty() const { return !all && consumers.empty(); }
};

// The current pause (empty when none). kInternal when the stored value is not ours.
Result<PauseState> read_pause(StateStore& state);

// Pauses `consumer`, or every consumer (nullopt); returns the pause now in force.
Result<PauseState> set_pause(StateStore& state, const std::optional<std::string>& consumer,
                             const std::string& by, TimePoint now);

// Lifts the pause of `consumer`, or every pause (nullopt: also every named one); returns what
// is still in force (a named resume leaves an "all" pause in place).
Result<PauseState> clear_pause(StateStore& state, const std::optional<std::string>& consumer);

}  // namespace aof::queue
