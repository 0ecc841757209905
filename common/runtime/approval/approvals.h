#pragma once
// Approvals (issue 8 item 2, DESIGN §5): an Approval node pauses its flow in the broker's state
// store, and any worker resumes it when someone decides. One approval per (run, node): a run
// is its event id, so two Approval nodes of one run (in parallel branches too) never share a
// record. Keys:
//   approval:<run>/<node>        the record (ApprovalRecord, JSON)
//   approval-run:<run>           the nodes of the run that asked, in order (for the CLI)
//   approval-message:<platform>:<channel>:<message id>
//                                → "<run>/<node>": how a reaction to the request finds it
//   approvals:pending            {"<run>/<node>": deadline ms}: what the timeout sweep reads;
//                                at most kMaxPendingApprovals, beyond which a new request fails
//                                retryably rather than wait forever unswept.
// Life of one approval:
//   1. the node runs (ask): the record is written pending (not yet posted), the request is
//      posted where the event came from (or to the node's `channel` on Slack), then the record
//      notes the message and the index entries are written. A failed post fails the node
//      retryably; the retry finds the record pending-unposted and posts again. The flow
//      answers "waiting_approval" and its event is acked: the run is paused.
//   2. a decision event (approval_job.h) moves the record pending → approved | denied |
//      timeout with one compare-and-set, so exactly one decision wins; it names the event that
//      carried it (decided_by), so that event's own retries resume the run again.
//   3. the resumed run (the paused event's envelope, same id and generation, so its flow
//      checkpoints skip every finished node) reaches the node again, which now answers the
//      decision.
// A replay of the event (a new generation) or another Approval node of the same run asks anew.
// Thread-safe.

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/event/envelope.h"
#include "common/queue/state.h"
#include "common/runtime/flow/flow_runner.h"

namespace aof::runtime::approval {

inline constexpr std::size_t kMaxPendingApprovals = 10000;

// Which approval: the paused run (its event id) and the Approval node.
struct ApprovalId {
  std::string run, node;
  std::string text() const { return run + "/" + node; }  // event ids (ULIDs) have no '/'
  static std::optional<ApprovalId> parse(const std::string& text);
  bool operator==(const ApprovalId&) const = default;
};

struct ApprovalRecord {
  std::string state;  // pending, approved, denied, timeout
  int generation = 0;
  std::string flow, node_id;
  long long deadline_ms = 0;           // Unix ms; then a timeout denies it
  std::vector<std::string> approvers;  // empty = the platform's allow-list decides
  bool posted = false;                 // the request message went out
  std::string platform, channel, message_id;  // where it went (message_id "" = unknown)
  // The decision.
  std::string by, reaction, decided_at, decided_by;
  nlohmann::json envelope;  // the paused event without its body: what a resume runs

  bool decided() const { return state != "pending"; }
  std::string encode() const;
  static std::optional<ApprovalRecord> decode(const std::string& value);
};

// The decision's output as the Approval node answers it.
nlohmann::json decision_output(const ApprovalRecord& record);

class Approvals {
 public:
  // Posts the request where `where` says (platform, channel_id, thread_id); returns the posted
  // message's id ("" when the platform answers none). Errors retry the event.
  using Poster =
      std::function<Result<std::string>(const event::Envelope& where, const std::string& text)>;

  Approvals(std::shared_ptr<queue::StateStore> state, const Clock& clock, Poster post);

  // FlowRunOptions.approval for the run of `envelope` (its flow: envelope.target.name).
  Result<nlohmann::json> ask(const event::Envelope& envelope, const ApprovalRequest& request);

  struct Read {
    ApprovalRecord record;
    std::string raw;  // the compare-and-set operand
  };
  Result<std::optional<Read>> read(const ApprovalId& id);

  // The approvals run `run` asked for, in the order its nodes asked.
  Result<std::vector<ApprovalId>> asked(const std::string& run);

  // The approval whose request message this is, or nullopt.
  Result<std::optional<ApprovalId>> find_by_message(const std::string& platform,
                                                    const std::string& channel,
                                                    const std::string& message_id);

  // pending → `decision` (approved, denied, timeout), recording who and which event carried
  // it; false when `current` is no longer what is stored (someone decided first).
  Result<bool> decide(const ApprovalId& id, const Read& current, const std::string& decision,
                      const std::string& by, const std::string& reaction,
                      const std::string& decided_by);

  // Pending approvals whose deadline has passed.
  Result<std::vector<ApprovalId>> due();

 private:
  Status post_request(const ApprovalId& id, const event::Envelope& envelope,
                      const ApprovalRequest& request, ApprovalRecord record, std::string raw);
  Status update_pending(const ApprovalId& id, std::optional<long long> deadline_ms);
  Status add_to_run(const ApprovalId& id);

  std::shared_ptr<queue::StateStore> state_;
  const Clock& clock_;
  Poster post_;
};

}  // namespace aof::runtime::approval
