#pragma once
// Flow checkpoints (issue 8 item 4, DESIGN §5): each finished node's output and the variables
// it wrote, recorded against the run (event id, generation) as soon as the node finishes. A
// run of the same event and generation — a redelivery after its worker died, a drain's
// release, an approval's resume — walks the flow again from the start, and every node that
// has a record is not run again: its output and writes are taken from the record. The walk is
// deterministic given the outputs, so it reaches the same nodes and resumes after the last
// finished one; side effects (HTTP requests, scripts, messages) happen once.
// The runner calls find() before a node and record() after it; both may be called from the
// threads of one wave at once.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "common/base/result.h"

namespace aof::runtime::flow {

struct NodeCheckpoint {
  nlohmann::json output;  // the node's output object
  nlohmann::json writes;  // FlowState::writes() of the node: {results, exports}
};

class FlowCheckpoints {
 public:
  virtual ~FlowCheckpoints() = default;

  // The record of node `id` in this run, or nullopt when it has none. An error (the store is
  // unreachable) fails the run retryably: running the node again could repeat its effect.
  virtual Result<std::optional<NodeCheckpoint>> find(const std::string& id) = 0;

  // Records node `id`. A failure is logged, not returned: the node already ran, and failing
  // the run would only make a retry run it again sooner.
  virtual void record(const std::string& id, const NodeCheckpoint& checkpoint) = 0;
};

}  // namespace aof::runtime::flow
