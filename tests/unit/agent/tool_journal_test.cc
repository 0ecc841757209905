// Effect-once for tool calls (agent/tool_journal.h) through the tool loop, on the memory
// state store: a redelivery of the same generation reuses a recorded call and the tool runs
// once; a new generation runs it again; a call whose end was never recorded is not repeated
// and the model is told why; calls without an outside effect are not journaled; identical
// calls in one run both run.
#include "common/runtime/agent/tool_journal.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>

#include "common/queue/memory.h"
#include "common/runtime/agent/tool_loop.h"
#include "tests/support/fake_tools.h"
#include "tests/unit/agent/fake_llm.h"

namespace aof::runtime::agent {
namespace {

using aof::testing::FakeLlm;
using aof::testing::FunctionTool;
using nlohmann::json;

constexpr const char* kEvent = "01JTOOLS000000000000000EV";

// A tool with an outside effect that counts its calls ("deploy").
struct Deploy {
  std::atomic<int> calls{0};
  std::shared_ptr<FunctionTool> tool =
      std::make_shared<FunctionTool>("deploy", [this](const json& arguments, const auto&) {
        tools::ToolResult result;
        result.success = true;
        result.data = {{"deployed", arguments.value("q", "")}, {"call", ++calls}};
        return result;
      });
};

// One delivery of the event: the model asks for `calls` in one turn, then answers.
struct Delivery {
  FakeLlm llm;
  Result<ToolLoopResult> result = Error(ErrorCode::kInternal, "not run");

  Delivery(queue::StateStore& state, int generation, const tools::ToolSet& tools,
           const std::vector<std::pair<std::string, json>>& calls) {
    ToolJournal journal(state, kEvent, generation, "w" + std::to_string(generation));
    llm.answer_calls(calls);
    llm.answer_text("done");
    ToolLoopOptions options;
    options.clock = &clock;
    options.journal = {&journal, "ops"};
    result = run_tool_loop(llm, tools, "ship it", options);
  }

  // The tool messages the model read back, in order.
  std::vector<llm::Message> tool_messages() const {
    std::vector<llm::Message> out;
    const auto requests = llm.requests();
    for (const auto& m : requests.back().messages) {
      if (m.role == llm::Role::kTool) out.push_back(m);
    }
    return out;
  }

  FakeClock clock;
};

std::string first_key(queue::StateStore& state, int generation, const std::string& tool,
                      const json& arguments) {
  return ToolJournal(state, kEvent, generation, "").next_key("ops", tool, arguments);
}

}  // namespace

TEST_CASE("tool journal: the key is the event, generation, content hash and count") {
  FakeClock clock;
  auto state = queue::make_memory_state(clock);
  ToolJournal journal(*state, "E1", 3, "w1");
  const std::string hash = tool_call_hash("ops", "deploy", {{"b", 1}, {"a", "x"}});
  CHECK(hash.size() == 64);
  CHECK(journal.next_key("ops", "deploy", {{"a", "x"}, {"b", 1}}) ==
        "effect:E1:3:tool:" + hash + ":0");
  CHECK(journal.next_key("ops", "deploy", json::parse(R"({"b": 1, "a": "x"})")) ==
        "effect:E1:3:tool:" + hash + ":1");
  CHECK(tool_call_hash("dev", "deploy", {{"a", "x"}, {"b", 1}}) != hash);  // another agent
  CHECK(tool_call_hash("ops", "deploy", {{"a", "y"}, {"b", 1}}) != hash);
}

TEST_CASE("tool journal: a redelivery of the same generation reuses the result; one side effect") {
  FakeClock clock;
  auto state = queue::make_memory_state(clock);
  Deploy deploy;
  Delivery first(*state, 0, {deploy.tool}, {{"deploy", {{"q", "web"}}}});
  REQUIRE(first.result.ok());
  Delivery redelivery(*state, 0, {deploy.tool}, {{"deploy", {{"q", "web"}}}});
  REQUIRE(redelivery.result.ok());
  CHECK(deploy.calls == 1);
  REQUIRE(redelivery.tool_messages().size() == 1);
  CHECK(redelivery.tool_messages()[0].text == first.tool_messages()[0].text);
  CHECK(json::parse(redelivery.tool_messages()[0].text)["data"]["call"] == 1);
}

TEST_CASE("tool journal: a replay (new generation) runs the call again") {
  FakeClock clock;
  auto state = queue::make_memory_state(clock);
  Deploy deploy;
  REQUIRE(Delivery(*state, 0, {deploy.tool}, {{"deploy", {{"q", "web"}}}}).result.ok());
  Delivery replay(*state, 1, {deploy.tool}, {{"deploy", {{"q", "web"}}}});
  REQUIRE(replay.result.ok());
  CHECK(deploy.calls == 2);
  CHECK(json::parse(replay.tool_messages()[0].text)["data"]["call"] == 2);
}

TEST_CASE("tool journal: a call found running is not run again; the model reads why") {
  FakeClock clock;
  auto state = queue::make_memory_state(clock);
  Deploy deploy;
  const std::string key = first_key(*state, 0, "deploy", {{"q", "web"}});
  REQUIRE(state->put(key, R"({"state": "running", "worker": "doomed"})", Millis(0)).ok());
  Delivery redelivery(*state, 0, {deploy.tool}, {{"deploy", {{"q", "web"}}}});
  REQUIRE(redelivery.result.ok());
  CHECK(deploy.calls == 0);
  REQUIRE(redelivery.tool_messages().size() == 1);
  const llm::Message answer = redelivery.tool_messages()[0];
  CHECK(answer.is_error);
  const std::string error = json::parse(answer.text)["error"];
  CHECK(error.find("not run again") != std::string::npos);
  CHECK(error.find("worker doomed") != std::string::npos);
  CHECK(error.find("may or may not have taken effect") != std::string::npos);
  CHECK(error.find("Check its effect before you retry it") != std::string::npos);
}

TEST_CASE("tool journal: the model retrying an unknown call makes it run (the next count)") {
  FakeClock clock;
  auto state = queue::make_memory_state(clock);
  Deploy deploy;
  const std::string key = first_key(*state, 0, "deploy", {{"q", "web"}});
  REQUIRE(state->put(key, R"({"state": "running", "worker": "doomed"})", Millis(0)).ok());
  Delivery redelivery(*state, 0, {deploy.tool},
                      {{"deploy", {{"q", "web"}}}, {"deploy", {{"q", "web"}}}});
  REQUIRE(redelivery.result.ok());
  CHECK(deploy.calls == 1);
  const auto messages = redelivery.tool_messages();
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].is_error);
  CHECK_FALSE(messages[1].is_error);
}

TEST_CASE("tool journal: a call without an outside effect is not journaled and runs again") {
  FakeClock clock;
  auto state = queue::make_memory_state(clock);
  std::atomic<int> reads{0};
  auto read = std::make_shared<FunctionTool>(
      "read_status",
      [&](const json&, const auto&) {
        tools::ToolResult result;
        result.success = true;
        result.data = ++reads;
        return result;
      },
      /*outside_effect=*/false);
  REQUIRE(Delivery(*state, 0, {read}, {{"read_status", {{"q", "web"}}}}).result.ok());
  REQUIRE(Delivery(*state, 0, {read}, {{"read_status", {{"q", "web"}}}}).result.ok());
  CHECK(reads == 2);
  auto stored = state->get(first_key(*state, 0, "read_status", {{"q", "web"}}));
  REQUIRE(stored.ok());
  CHECK_FALSE(stored->has_value());
}

TEST_CASE("tool journal: identical calls in one run both run, and a redelivery reuses both") {
  FakeClock clock;
  auto state = queue::make_memory_state(clock);
  Deploy deploy;
  const std::vector<std::pair<std::string, json>> twice = {{"deploy", {{"q", "web"}}},
                                                           {"deploy", {{"q", "web"}}}};
  Delivery first(*state, 0, {deploy.tool}, twice);
  REQUIRE(first.result.ok());
  CHECK(deploy.calls == 2);
  Delivery redelivery(*state, 0, {deploy.tool}, twice);
  REQUIRE(redelivery.result.ok());
  CHECK(deploy.calls == 2);
  std::vector<int> seen;
  for (const auto& m : redelivery.tool_messages()) {
    seen.push_back(json::parse(m.text)["data"]["call"].get<int>());
  }
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<int>{1, 2});
}

TEST_CASE("tool journal: a state store that cannot be read fails the run retryably, no call") {
  // Reads fail; the call must not be made unjournaled.
  class Unreachable final : public queue::StateStore {
   public:
    Result<std::optional<std::string>> get(const std::string&) override { return down(); }
    Status put(const std::string&, const std::string&, Millis) override { return down(); }
    Result<bool> put_if_absent(const std::string&, const std::string&, Millis) override {
      return down();
    }
    Result<bool> compare_and_set(const std::string&, const std::optional<std::string>&,
                                 const std::string&, Millis) override {
      return down();
    }
    Status erase(const std::string&) override { return down(); }

   private:
    static Error down() { return Error(ErrorCode::kUnavailable, "broker down"); }
  };
  Unreachable state;
  Deploy deploy;
  Delivery delivery(state, 0, {deploy.tool}, {{"deploy", {{"q", "web"}}}});
  REQUIRE_FALSE(delivery.result.ok());
  CHECK(is_retryable(delivery.result.error().code()));
  CHECK(delivery.result.error().message().find("iteration 1: tool deploy: tool journal effect:") ==
        0);
  CHECK(deploy.calls == 0);
}

TEST_CASE("tool journal: a result over the bound is kept cut, so it fits a NATS KV value") {
  FakeClock clock;
  auto state = queue::make_memory_state(clock);
  std::atomic<int> calls{0};
  auto big = std::make_shared<FunctionTool>("dump", [&](const json&, const auto&) {
    ++calls;
    tools::ToolResult result;
    result.success = true;
    result.data = {{"log", std::string(1u << 20, 'x')}};
    return result;
  });
  REQUIRE(Delivery(*state, 0, {big}, {{"dump", json::object()}}).result.ok());
  auto stored = state->get(first_key(*state, 0, "dump", json::object()));
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->size() < kMaxJournaledToolResultBytes + 1024);
  Delivery redelivery(*state, 0, {big}, {{"dump", json::object()}});
  REQUIRE(redelivery.result.ok());
  CHECK(calls == 1);
  const json read_back = json::parse(redelivery.tool_messages()[0].text);
  CHECK(read_back["success"] == true);
  CHECK(read_back["data"].get<std::string>().find("(cut: the journal keeps at most") !=
        std::string::npos);
}

}  // namespace aof::runtime::agent
