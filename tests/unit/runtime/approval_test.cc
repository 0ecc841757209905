// Approvals (runtime/approval/): a paused flow's request in the state store, decisions by
// Slack reaction, by the operator and by timeout, each resuming the paused event once.
#include <doctest/doctest.h>

#include "common/queue/memory.h"
#include "common/runtime/approval/approval_job.h"
#include "common/runtime/approval/approvals.h"

namespace aof::runtime::approval {
namespace {

using Json = nlohmann::json;

const ApprovalId kGate{"01PAUSED", "gate"};

event::Envelope paused_event() {
  event::Envelope e;
  e.id = "01PAUSED";
  e.platform = "github";
  e.channel_id = "acme/api#7";
  e.body = "{\"big\":\"body\"}";
  e.target = {event::TargetKind::kAgentFlow, "deploy"};
  return e;
}

event::Envelope reaction(const std::string& id, const std::string& emoji, const std::string& user,
                         const std::string& message_ts = "1700.1") {
  event::Envelope e;
  e.id = id;
  e.platform = "slack";
  e.event = "reaction_added";
  e.channel_id = "C-APPROVALS";
  e.thread_id = message_ts;
  e.user = {{"id", user}, {"username", user}};
  e.metadata = {{"reaction", emoji}, {"item_ts", message_ts}};
  e.target = {event::TargetKind::kApproval, ""};
  return e;
}

struct Harness {
  FakeClock clock;
  std::shared_ptr<queue::StateStore> state = queue::make_memory_state(clock);
  std::vector<std::pair<event::Envelope, std::string>> posts;
  std::shared_ptr<Approvals> approvals = std::make_shared<Approvals>(
      state, clock, [this](const event::Envelope& where, const std::string& text) {
        posts.emplace_back(where, text);
        return Result<std::string>(std::string("1700.1"));
      });
  std::vector<event::Envelope> resumed;
  Job job = approval_job(
      [this](const event::Envelope& e, const JobContext&, bool*) -> Result<Json> {
        resumed.push_back(e);
        return Json{{"resumed", e.id}};
      },
      {approvals, nullptr, {"U-LEAD"}, &clock});

  Result<Json> ask() {
    ApprovalRequest request;
    request.node_id = "gate";
    request.message = "Deploy?";
    request.channel = "C-APPROVALS";
    request.timeout = std::chrono::minutes(10);
    return approvals->ask(paused_event(), request);
  }
  Result<Json> run(const event::Envelope& e) {
    bool permanent = false;
    return job(e, JobContext{"w1", nullptr}, &permanent);
  }
};

TEST_CASE("asking records the request, posts it to the node's channel once, and waits") {
  Harness h;
  auto first = h.ask();
  REQUIRE(first.ok());
  CHECK(first->at("status") == "waiting_approval");
  REQUIRE(h.posts.size() == 1);
  CHECK(h.posts[0].first.platform == "slack");
  CHECK(h.posts[0].first.channel_id == "C-APPROVALS");
  CHECK(h.posts[0].second.find("Deploy?") == 0);
  CHECK(h.posts[0].second.find("aof flow approve 01PAUSED --node gate") != std::string::npos);
  auto again = h.ask();  // the same run asking again (a redelivery) does not post again
  REQUIRE(again.ok());
  CHECK(again->at("status") == "waiting_approval");
  CHECK(h.posts.size() == 1);
  CHECK(*h.approvals->asked("01PAUSED") == std::vector<ApprovalId>{kGate});
  auto read = h.approvals->read(kGate);
  REQUIRE(read.ok());
  REQUIRE(read->has_value());
  CHECK((*read)->record.state == "pending");
  CHECK((*read)->record.message_id == "1700.1");
  CHECK((*read)->record.envelope["body"] == "");  // the paused event is kept without its body
}

TEST_CASE("a reaction by someone not allowed is refused and the approval stays pending") {
  Harness h;
  REQUIRE(h.ask().ok());
  auto refused = h.run(reaction("01R1", "white_check_mark", "U-INTERN"));
  REQUIRE(refused.ok());
  CHECK(refused->at("status") == "refused");
  CHECK(h.resumed.empty());
  CHECK((*h.approvals->read(kGate))->record.state == "pending");
}

TEST_CASE("an allowed reaction decides once and resumes the paused event") {
  Harness h;
  REQUIRE(h.ask().ok());
  auto other = h.run(reaction("01R0", "tada", "U-LEAD"));
  REQUIRE(other.ok());
  CHECK(other->at("status") == "ignored");  // decides nothing
  auto approved = h.run(reaction("01R2", "+1::skin-tone-3", "U-LEAD"));
  REQUIRE(approved.ok());
  CHECK(approved->at("resumed") == "01PAUSED");
  REQUIRE(h.resumed.size() == 1);
  CHECK(h.resumed[0].target.name == "deploy");
  CHECK(h.resumed[0].channel_id == "acme/api#7");
  const auto record = (*h.approvals->read(kGate))->record;
  CHECK(record.state == "approved");
  CHECK(record.by == "slack:U-LEAD");
  CHECK(record.decided_by == "01R2");
  // The node, asked on the resumed run, answers the decision.
  auto answer = h.ask();
  REQUIRE(answer.ok());
  CHECK(answer->at("status") == "approved");
  CHECK(answer->at("approved") == true);
  // A retry of the deciding event resumes again; another decision is ignored.
  REQUIRE(h.run(reaction("01R2", "+1", "U-LEAD")).ok());
  CHECK(h.resumed.size() == 2);
  auto late = h.run(reaction("01R3", "x", "U-LEAD"));
  REQUIRE(late.ok());
  CHECK(late->at("status") == "ignored");
  CHECK(h.resumed.size() == 2);
  CHECK(h.approvals->due()->empty());
}

TEST_CASE("a reaction to a message that is no approval request is ignored") {
  Harness h;
  REQUIRE(h.ask().ok());
  auto result = h.run(reaction("01R4", "white_check_mark", "U-LEAD", "1700.999"));
  REQUIRE(result.ok());
  CHECK(result->at("status") == "ignored");
  CHECK(h.resumed.empty());
}

TEST_CASE("the operator denies through a decision event; reaction allow-lists do not apply") {
  Harness h;
  REQUIRE(h.ask().ok());
  auto denied = h.run(decision_event(kGate, "deny", "ops@host", "cli", h.clock.now()));
  REQUIRE(denied.ok());
  CHECK(h.resumed.size() == 1);
  CHECK((*h.approvals->read(kGate))->record.state == "denied");
  CHECK(h.ask()->at("approved") == false);
}

TEST_CASE("past its deadline the sweep queues a timeout, which denies and resumes") {
  Harness h;
  config::QueueConfig config;
  auto queue = queue::make_memory_queue(config, h.clock);
  REQUIRE(h.ask().ok());
  publish_due_timeouts(*h.approvals, *queue, h.clock);
  CHECK(queue->stats()->depth == 0);  // not due yet
  h.clock.advance(std::chrono::minutes(11));
  publish_due_timeouts(*h.approvals, *queue, h.clock);
  publish_due_timeouts(*h.approvals, *queue, h.clock);  // deduplicated
  CHECK(queue->stats()->depth == 1);
  auto fetched = queue->fetch("w1", 1, Millis(0));
  REQUIRE(fetched.ok());
  REQUIRE(fetched->size() == 1);
  auto result = h.run((*fetched)[0].envelope);
  REQUIRE(result.ok());
  CHECK(h.resumed.size() == 1);
  CHECK((*h.approvals->read(kGate))->record.state == "timeout");
  CHECK(h.approvals->due()->empty());
  // A reaction after the deadline decides nothing new.
  auto late = h.run(reaction("01R5", "white_check_mark", "U-LEAD"));
  CHECK(late->at("status") == "ignored");
}

}  // namespace
}  // namespace aof::runtime::approval

namespace aof::runtime::approval {
namespace {

TEST_CASE("two Approval nodes of one run wait and are decided apart") {
  Harness h;
  REQUIRE(h.ask().ok());
  ApprovalRequest second;
  second.node_id = "gate-2";
  second.message = "And the database?";
  second.channel = "C-APPROVALS";
  // The fake Slack answers the same ts for both posts; give the second its own.
  h.approvals = std::make_shared<Approvals>(
      h.state, h.clock, [](const event::Envelope&, const std::string&) {
        return Result<std::string>(std::string("1700.2"));
      });
  REQUIRE(h.approvals->ask(paused_event(), second).ok());
  CHECK(h.approvals->asked("01PAUSED")->size() == 2);
  Job job = approval_job(
      [&](const event::Envelope& e, const JobContext&, bool*) -> Result<Json> {
        h.resumed.push_back(e);
        return Json::object();
      },
      {h.approvals, nullptr, {"U-LEAD"}, &h.clock});
  bool permanent = false;
  REQUIRE(job(reaction("01R6", "x", "U-LEAD", "1700.2"), JobContext{"w1", nullptr}, &permanent)
              .ok());
  CHECK((*h.approvals->read(ApprovalId{"01PAUSED", "gate-2"}))->record.state == "denied");
  CHECK((*h.approvals->read(kGate))->record.state == "pending");
}

}  // namespace
}  // namespace aof::runtime::approval
