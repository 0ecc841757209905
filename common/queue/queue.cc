#include "common/queue/queue.h"

namespace aof::queue {

const char* to_string(EventState state) {
  switch (state) {
    case EventState::kWaiting:
      return "waiting";
    case EventState::kRunning:
      return "running";
    case EventState::kRetrying:
      return "retrying";
    case EventState::kDone:
      return "done";
    case EventState::kDead:
      return "dead";
  }
  return "waiting";
}

}  // namespace aof::queue
