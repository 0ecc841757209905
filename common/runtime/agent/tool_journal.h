#pragma once
// Effect-once for tool calls (DESIGN §5; the report's journal is report/journal.h): a call
// with an outside effect (tools::Tool::has_outside_effect: shell, the CLI wrappers but for
// reads and git's local verbs, http_request but GET/HEAD, MCP tools not marked readOnlyHint)
// is journaled against (event id, generation) in the broker state store, so a redelivery of
// the same generation (a worker killed mid-run, a lease lost, a retry after a failure) gives
// the model the recorded result instead of running the call again. An operator replay is a
// new generation, new keys, and runs every call again on purpose.
//
// Key: effect:<event id>:<generation>:tool:<hex SHA-256 of agent, tool, arguments>:<n>.
// By content, not by position: a model asked again need not repeat its calls in the same
// order or turn. n counts identical calls (same agent, tool and canonical arguments JSON)
// within one execution of the event, so a call deliberately made twice runs twice, and a
// redelivery that makes it twice again reuses both results. One journal serves the whole
// execution (a flow's Agent nodes, a fleet's members), so two runs of one agent count
// together. A flow resumed from its checkpoints skips finished nodes and their calls, so an
// identical call a finished node made is then matched by the first one after the resume and
// not made again: the miscount can only spare a repeat, never add one.
//
// Value: {"state": "running" | "done", "worker", "result": {"success", "data", "error"}}.
//   absent  → running  compare-and-set just before the call; the loser reads the winner's
//   running → done     after the call, with its result (cut to kMaxJournaledToolResultBytes)
//   done               a redelivery returns the result; the tool is not called
//   running            found by a redelivery: the worker that started the call died (or
//                      lost its lease, or could not record the end). Not run again, for the
//                      reason report/journal.h gives for "posting": nobody can tell whether
//                      it took effect, and a repeated deploy or payment cannot be taken
//                      back. The model gets an error saying so and checks before it retries;
//                      a retry with the same arguments is the next n, so it runs.
// Effects inside the run directory are not restored: a redelivery's directory starts empty.
// Thread-safe: the calls of one turn, and a fleet's members, use one journal at once.

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/queue/state.h"
#include "common/runtime/tools/tool.h"

namespace aof::runtime::agent {

// Kept beyond any redelivery and dead-letter replay of one generation: 7 days, as the
// report's journal.
inline constexpr Millis kToolJournalTtl{7LL * 24 * 3600 * 1000};

// A recorded result larger than this keeps its data cut to a string (NATS KV values must fit
// the server's max_payload, 1 MiB by default). Only a redelivery sees the cut form.
inline constexpr std::size_t kMaxJournaledToolResultBytes = 256u << 10;

class ToolJournal {
 public:
  // One per execution of the event `event_id` of `generation`; `worker` is recorded in the
  // entries it writes. `state` must outlive the journal.
  ToolJournal(queue::StateStore& state, std::string event_id, int generation, std::string worker);

  // The key of the next call of `tool` with `arguments` made by `agent`: each call takes one,
  // in the order the model listed them.
  std::string next_key(const std::string& agent, const std::string& tool,
                       const nlohmann::json& arguments);

  // The call's result: recorded under `key` (done), an error result when the call was started
  // before and its end never recorded (running), else run_call's, recorded before and after.
  // Errors (the state store's; retryable, the call was not made): reading the entry or
  // claiming it. A failure to record the end is a warning: the call was made, and its result
  // still goes to the model.
  Result<tools::ToolResult> run_once(const std::string& key, const std::string& tool,
                                     const std::function<tools::ToolResult()>& run_call);

 private:
  tools::ToolResult resume(const std::string& key, const std::string& tool,
                           const std::string& value) const;
  tools::ToolResult run_and_record(const std::string& key, const std::string& running,
                                   const std::function<tools::ToolResult()>& run_call) const;

  queue::StateStore& state_;
  std::string event_id_;
  int generation_;
  std::string worker_;
  std::mutex mu_;
  std::map<std::string, int> calls_;  // guarded by mu_: calls made, by content hash
};

// The content hash of a key: hex SHA-256 of agent, tool and the arguments' canonical JSON
// (keys sorted, no spaces), each followed by a NUL byte.
std::string tool_call_hash(const std::string& agent, const std::string& tool,
                           const nlohmann::json& arguments);

}  // namespace aof::runtime::agent
