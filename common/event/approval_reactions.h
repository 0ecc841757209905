#pragma once
// The Slack reactions that decide an approval (reference §2.7): approve on white_check_mark,
// heavy_check_mark, +1; deny on x, -1, no_entry; a skin tone ("+1::skin-tone-3") does not
// matter. The sidecar queues only these (every other emoji would be an event for nothing);
// the worker's approval job (runtime/approval/approval_job.h) reads them.

#include <string>
#include <string_view>

namespace aof::event {

enum class ReactionDecision { kNone, kApprove, kDeny };

inline ReactionDecision reaction_decision(std::string_view reaction) {
  reaction = reaction.substr(0, reaction.find("::"));
  for (std::string_view approve : {"white_check_mark", "heavy_check_mark", "+1"}) {
    if (reaction == approve) return ReactionDecision::kApprove;
  }
  for (std::string_view deny : {"x", "-1", "no_entry"}) {
    if (reaction == deny) return ReactionDecision::kDeny;
  }
  return ReactionDecision::kNone;
}

}  // namespace aof::event
