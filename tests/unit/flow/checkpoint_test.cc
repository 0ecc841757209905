// Checkpoints (flow/checkpoints.h) and Approval pauses through run_flow: a second run of the
// same event resumes after its last finished node, with the variables those nodes wrote.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <utility>

#include "common/queue/memory.h"
#include "common/runtime/flow/checkpoints.h"
#include "common/runtime/flow/state_checkpoints.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/flow/flow_test_util.h"

namespace aof::runtime {
namespace {

using config::NodeType;
using Json = nlohmann::json;
using testing::edge;
using testing::flow_of;
using testing::logged;
using testing::read;
using testing::node;
using testing::output_of;
using testing::run;
using testing::script;

// Checkpoints in a map, shared by the runs of one test (as the state store is by workers).
class MapCheckpoints final : public flow::FlowCheckpoints {
 public:
  Result<std::optional<flow::NodeCheckpoint>> find(const std::string& id) override {
    std::lock_guard lock(mu_);
    const auto it = records_.find(id);
    if (it == records_.end()) return std::optional<flow::NodeCheckpoint>();
    return std::optional<flow::NodeCheckpoint>(it->second);
  }
  void record(const std::string& id, const flow::NodeCheckpoint& checkpoint) override {
    std::lock_guard lock(mu_);
    records_[id] = checkpoint;
  }
  std::size_t size() {
    std::lock_guard lock(mu_);
    return records_.size();
  }

 private:
  std::mutex mu_;
  std::map<std::string, flow::NodeCheckpoint> records_;
};

// After Approval node "gate": "deploy" runs when it approved, "refuse" when it did not;
// each logs its id.
std::pair<config::FlowNode, config::FlowNode> gated_branches(const std::filesystem::path& log) {
  auto deploy = logged("deploy", log);
  deploy.conditions.push_back({"gate", Json(true), std::nullopt});
  auto refuse = logged("refuse", log);
  refuse.conditions.push_back({"gate", Json(false), std::nullopt});
  return {deploy, refuse};
}

TEST_CASE("a failed run resumes after its last finished node, with the variables it wrote") {
  const aof::testing::TempDir dir;
  const auto log = dir.path() / "log";
  const auto flag = dir.path() / "flag";
  auto exported = node("vars", NodeType::kTransform);
  exported.config.script = "export VERSION=1.2";
  // Fails the first time (no flag yet), succeeds the second.
  auto flaky = script("flaky", "echo flaky >> '" + log.string() + "'; test -f '" + flag.string() +
                                   "' || { touch '" + flag.string() + "'; exit 3; }");
  auto use = script("use", "echo v${VERSION}");
  const auto flow = flow_of({logged("first", log), exported, flaky, use},
                            {edge("start", "first"), edge("first", "vars"), edge("vars", "flaky"),
                             edge("flaky", "use")});
  MapCheckpoints checkpoints;
  FlowRunOptions options;
  options.checkpoints = &checkpoints;
  auto failed = run(flow, Json::object(), options);
  REQUIRE_FALSE(failed.ok());
  CHECK(checkpoints.size() == 2);  // first, vars; not the failed node
  auto resumed = run(flow, Json::object(), options);
  REQUIRE(resumed.ok());
  CHECK(read(log) == "first\nflaky\nflaky\n");  // `first` ran once
  CHECK(output_of(resumed, "use")["output"] == "v1.2");  // vars' export came back
  CHECK(output_of(resumed, "first")["exit_code"] == 0);  // its output too
  // Without the checkpoints, the same second run repeats `first`.
  auto afresh = run(flow);
  REQUIRE(afresh.ok());
  CHECK(read(log) == "first\nflaky\nflaky\nfirst\nflaky\n");
}

TEST_CASE("a branch that finished beside a failing one is not run again") {
  const aof::testing::TempDir dir;
  const auto log = dir.path() / "log";
  const auto flag = dir.path() / "flag";
  auto failing = script("right", "test -f '" + flag.string() + "' || { touch '" + flag.string() +
                                     "'; exit 1; }");
  const auto flow = flow_of(
      {node("fork", NodeType::kParallel), logged("left", log), failing, node("join", NodeType::kJoin)},
      {edge("start", "fork"), edge("fork", "left"), edge("fork", "right"), edge("left", "join"),
       edge("right", "join")});
  MapCheckpoints checkpoints;
  FlowRunOptions options;
  options.checkpoints = &checkpoints;
  REQUIRE_FALSE(run(flow, Json::object(), options).ok());
  auto resumed = run(flow, Json::object(), options);
  REQUIRE(resumed.ok());
  CHECK(read(log) == "left\n");
  CHECK(resumed->at("node_results").contains("join"));
}

config::FlowNode approval_node(const std::string& id) {
  auto n = node(id, NodeType::kApproval);
  n.config.message = "Deploy ${event.version}?";
  n.config.approvers = {"U1"};
  n.config.timeout_seconds = 600;
  return n;
}

TEST_CASE("an Approval pauses the run; the decided resume takes the approved branch once") {
  const aof::testing::TempDir dir;
  const auto log = dir.path() / "log";
  const auto [deploy, refuse] = gated_branches(log);
  const auto flow = flow_of({logged("build", log), approval_node("gate"), deploy, refuse},
                            {edge("start", "build"), edge("build", "gate"), edge("gate", "deploy"),
                             edge("gate", "refuse")});
  MapCheckpoints checkpoints;
  std::vector<ApprovalRequest> asked;
  Json answer = {{"status", "waiting_approval"}, {"node_id", "gate"}};
  FlowRunOptions options;
  options.checkpoints = &checkpoints;
  options.approval = [&](const ApprovalRequest& request) -> Result<Json> {
    asked.push_back(request);
    return answer;
  };
  const Json trigger = {{"event", {{"version", "1.4"}}}};
  auto paused = run(flow, trigger, options);
  REQUIRE(paused.ok());
  CHECK(paused->at("status") == "waiting_approval");
  CHECK(paused->at("waiting") == "gate");
  CHECK_FALSE(paused->at("node_results").contains("gate"));
  CHECK(read(log) == "build\n");
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].message == "Deploy 1.4?");
  CHECK(asked[0].approvers == std::vector<std::string>{"U1"});
  CHECK(asked[0].timeout == std::chrono::seconds(600));

  answer = {{"status", "approved"}, {"approved", true}, {"by", "slack:U1"},
            {"reaction", "white_check_mark"}, {"node_id", "gate"}};
  auto resumed = run(flow, trigger, options);
  REQUIRE(resumed.ok());
  CHECK(resumed->at("status") == "completed");
  CHECK(read(log) == "build\ndeploy\n");  // build not repeated; refuse skipped
  CHECK(resumed->at("variables")["gate.reaction"] == "white_check_mark");
  CHECK(resumed->at("skipped") == Json{"refuse"});
}

TEST_CASE("a denied or timed-out approval takes the other branch") {
  const aof::testing::TempDir dir;
  const auto log = dir.path() / "log";
  const auto [deploy, refuse] = gated_branches(log);
  const auto flow = flow_of({approval_node("gate"), deploy, refuse},
                            {edge("start", "gate"), edge("gate", "deploy"), edge("gate", "refuse")});
  FlowRunOptions options;
  options.approval = [&](const ApprovalRequest&) -> Result<Json> {
    return Json{{"status", "timeout"}, {"approved", false}, {"node_id", "gate"}};
  };
  auto result = run(flow, Json::object(), options);
  REQUIRE(result.ok());
  CHECK(read(log) == "refuse\n");
}

TEST_CASE("an Approval node without the service fails permanently, saying why") {
  auto result = run(flow_of({approval_node("gate")}));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == ErrorCode::kInvalidArgument);
  CHECK(result.error().message().find("state store") != std::string::npos);
}

TEST_CASE("state-store checkpoints: one index per run and generation, records bounded") {
  FakeClock clock;
  auto state = queue::make_memory_state(clock);
  event::Envelope envelope;
  envelope.id = "01EVENT";
  auto first = flow::StateCheckpoints::open(*state, envelope);
  REQUIRE(first.ok());
  CHECK_FALSE((*first)->find("a")->has_value());
  (*first)->record("a", {Json{{"output", "x"}}, Json{{"exports", {{"K", "v"}}}}});
  (*first)->record("huge", {Json{{"output", std::string(flow::kMaxCheckpointBytes, 'x')}},
                            Json::object()});
  auto again = flow::StateCheckpoints::open(*state, envelope);
  REQUIRE(again.ok());
  auto a = (*again)->find("a");
  REQUIRE(a.ok());
  REQUIRE(a->has_value());
  CHECK((*a)->output == Json{{"output", "x"}});
  CHECK((*a)->writes["exports"]["K"] == "v");
  CHECK_FALSE((*again)->find("huge")->has_value());  // over the limit: runs again
  envelope.generation = 1;  // a replay starts afresh
  auto replay = flow::StateCheckpoints::open(*state, envelope);
  REQUIRE(replay.ok());
  CHECK_FALSE((*replay)->find("a")->has_value());
}

}  // namespace
}  // namespace aof::runtime

namespace aof::runtime {
namespace {

TEST_CASE("spec.config.retry runs a failing node again within the run; defaultTimeoutSeconds "
          "bounds nodes without their own") {
  const aof::testing::TempDir dir;
  const auto count = dir.path() / "count";
  // Fails twice, then succeeds.
  auto flaky = script("flaky", "echo x >> '" + count.string() + "'; test $(wc -l < '" +
                                   count.string() + "') -ge 3");
  auto flow = flow_of({flaky});
  flow.settings.retry_max_attempts = 3;
  flow.settings.retry_initial_delay = "10ms";
  auto result = run(flow);
  REQUIRE(result.ok());
  CHECK(read(count) == "x\nx\nx\n");

  std::filesystem::remove(count);
  flow.settings.retry_max_attempts = 2;  // one attempt short
  CHECK_FALSE(run(flow).ok());
  CHECK(read(count) == "x\nx\n");

  auto slow = flow_of({script("slow", "sleep 5")});
  slow.settings.default_timeout_seconds = 1;
  auto timed_out = run(slow);
  REQUIRE_FALSE(timed_out.ok());
  CHECK(timed_out.error().code() == ErrorCode::kTimeout);
}

}  // namespace
}  // namespace aof::runtime
