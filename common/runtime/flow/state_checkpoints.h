#pragma once
// Flow checkpoints (checkpoints.h) in the broker's state store (queue/state.h), for one run:
//   flow:<event id>:<generation>             → JSON array of the node ids recorded
//   flow:<event id>:<generation>:node:<id>   → {"output", "writes"} of that node
// The index is read once, at the run's start, so a run with nothing recorded costs one read;
// each recorded node costs one more when the walk reaches it. A node whose record would exceed
// kMaxCheckpointBytes (a NATS KV value must fit the server's max_payload) is not recorded, with
// a warning: a resume runs it again. Kept kCheckpointTtl (7 days, as the effect journal).

#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "common/event/envelope.h"
#include "common/queue/state.h"
#include "common/runtime/flow/checkpoints.h"

namespace aof::runtime::flow {

inline constexpr std::size_t kMaxCheckpointBytes = 768u << 10;
inline constexpr Millis kCheckpointTtl{7LL * 24 * 3600 * 1000};

class StateCheckpoints final : public FlowCheckpoints {
 public:
  // Reads the run's index. Errors: the store is unreachable (retry the event).
  static Result<std::unique_ptr<StateCheckpoints>> open(queue::StateStore& state,
                                                        const event::Envelope& envelope);

  Result<std::optional<NodeCheckpoint>> find(const std::string& id) override;
  void record(const std::string& id, const NodeCheckpoint& checkpoint) override;

 private:
  StateCheckpoints(queue::StateStore& state, std::string prefix, std::set<std::string> recorded)
      : state_(state), prefix_(std::move(prefix)), recorded_(std::move(recorded)) {}

  queue::StateStore& state_;
  const std::string prefix_;  // flow:<event id>:<generation>
  std::mutex mu_;
  std::set<std::string> recorded_;  // guarded by mu_
};

}  // namespace aof::runtime::flow
