// The tool loop's own rules (reference §4.3) over a scripted LlmClient: iterations, tool
// errors as text, unknown tools, concurrency by rendezvous, deadline and cancellation.
#include "common/runtime/agent/tool_loop.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>

#include "tests/support/fake_tools.h"
#include "tests/unit/agent/fake_llm.h"

namespace aof::runtime::agent {
namespace {

using aof::testing::FakeLlm;
using aof::testing::FunctionTool;
using nlohmann::json;

tools::ToolResult ok(json data) {
  tools::ToolResult result;
  result.success = true;
  result.data = std::move(data);
  return result;
}

// Opens when `count` callers are inside at once; a caller gives up after 20 s (only when
// the calls do not run concurrently).
class Rendezvous {
 public:
  explicit Rendezvous(int count) : remaining_(count) {}
  bool arrive_and_wait() {
    std::unique_lock lock(mu_);
    if (--remaining_ <= 0) cv_.notify_all();
    return cv_.wait_for(lock, std::chrono::seconds(20), [&] { return remaining_ <= 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int remaining_;  // guarded by mu_
};

ToolLoopOptions options_with(FakeClock& clock) {
  ToolLoopOptions options;
  options.clock = &clock;
  options.max_iterations = 5;
  return options;
}

}  // namespace

TEST_CASE("exceeding max_iterations is a permanent error with the reason") {
  FakeClock clock;
  FakeLlm llm;
  llm.answer_calls({{"echo", {{"q", "again"}}}});  // forever
  auto echo = aof::testing::fixed_tool("echo", "ok");
  ToolLoopOptions options = options_with(clock);
  options.max_iterations = 3;
  auto result = run_tool_loop(llm, {echo}, "loop please", options);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == ErrorCode::kInvalidArgument);
  CHECK_FALSE(is_retryable(result.error().code()));
  CHECK(result.error().message() == "exceeded max_iterations (3)");
  CHECK(llm.requests().size() == 3);
  CHECK(echo->calls().size() == 3);
}

TEST_CASE("the request carries system prompt, input, tool specs, temperature and max_tokens") {
  FakeClock clock;
  FakeLlm llm;
  llm.answer_text("fine");
  ToolLoopOptions options = options_with(clock);
  options.system_prompt = "Be brief.";
  options.temperature = 0.2;
  options.max_tokens = 300;
  options.deadline = clock.now() + std::chrono::seconds(60);
  auto result =
      run_tool_loop(llm, {aof::testing::fixed_tool("echo", "ok")}, "how are you", options);
  REQUIRE(result.ok());
  CHECK(result->to_json() == json{{"output", "fine"},
                                  {"iterations", 1},
                                  {"usage", {{"input_tokens", 0}, {"output_tokens", 0}}},
                                  {"tool_calls", json::array()}});
  const auto request = llm.requests().at(0);
  CHECK(request.system == "Be brief.");
  REQUIRE(request.messages.size() == 1);
  CHECK(request.messages[0].role == llm::Role::kUser);
  CHECK(request.messages[0].text == "how are you");
  REQUIRE(request.tools.size() == 1);
  CHECK(request.tools[0].name == "echo");
  CHECK(request.temperature == 0.2);
  CHECK(request.max_tokens == 300);
  CHECK(request.deadline == options.deadline);
}

TEST_CASE("a failing tool and an unknown tool answer the model as text; the run goes on") {
  FakeClock clock;
  FakeLlm llm;
  llm.answer_calls({{"deploy", {{"q", "prod"}}}, {"nope", json::object()}});
  llm.answer_text("could not deploy");
  auto deploy = std::make_shared<aof::testing::FixedTool>("deploy", json(), false,
                                                          "permission denied for prod");
  auto result = run_tool_loop(llm, {deploy}, "deploy prod", options_with(clock));

  REQUIRE_MESSAGE(result.ok(), result.error().message());
  CHECK(result->output == "could not deploy");
  CHECK(result->tool_calls == std::vector<std::string>{"deploy", "nope"});
  const auto messages = llm.requests().at(1).messages;
  REQUIRE(messages.size() == 4);  // user, assistant (2 calls), 2 tool results
  CHECK(messages[1].role == llm::Role::kAssistant);
  CHECK(messages[1].tool_calls.size() == 2);
  CHECK(messages[2].role == llm::Role::kTool);
  CHECK(messages[2].tool_call_id == "id_0");
  CHECK(messages[2].tool_name == "deploy");
  CHECK(messages[2].is_error);
  CHECK(messages[2].text ==
        R"({"data":null,"error":"permission denied for prod","success":false})");
  CHECK(messages[3].tool_call_id == "id_1");
  CHECK(messages[3].tool_name == "nope");
  CHECK(messages[3].is_error);
  CHECK(messages[3].text ==
        R"({"data":null,"error":"unknown tool \"nope\"; this agent has: deploy","success":false})");
}

TEST_CASE("a model asking for tools when the agent has none is a permanent error") {
  FakeClock clock;
  FakeLlm llm;
  llm.answer_calls({{"shell", {{"command", "ls"}}}});
  auto result = run_tool_loop(llm, {}, "list files", options_with(clock));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == ErrorCode::kInvalidArgument);
  CHECK(result.error().message() ==
        "iteration 1: the model asked for tool \"shell\" but this agent has no tools");
  CHECK(llm.requests().at(0).tools.empty());
}

TEST_CASE("the calls of one turn run concurrently: each waits for the other to arrive") {
  FakeClock clock;
  FakeLlm llm;
  llm.answer_calls({{"left", json::object()}, {"right", json::object()}});
  llm.answer_text("both done");
  Rendezvous both(2);
  const auto meet = [&](const json&, const tools::ToolCallContext&) {
    return both.arrive_and_wait() ? ok("met") : tools::ToolResult{false, {}, "alone", 0, false};
  };
  tools::ToolSet tools = {std::make_shared<FunctionTool>("left", meet),
                          std::make_shared<FunctionTool>("right", meet)};
  auto result = run_tool_loop(llm, tools, "go", options_with(clock));
  REQUIRE(result.ok());
  const auto messages = llm.requests().at(1).messages;
  CHECK(messages[2].text == R"({"data":"met","success":true})");
  CHECK(messages[3].text == R"({"data":"met","success":true})");
}

TEST_CASE("at most ten calls of one turn run at once") {
  // Ten calls meet (a rendezvous: they do run together), then hold for a second waiting for
  // an eleventh. Under the cap it never comes, so the test passes whatever the speed; without
  // the cap an eleventh thread arrives within that second on any machine.
  FakeClock clock;
  FakeLlm llm;
  std::vector<std::pair<std::string, json>> calls(12, {"work", json::object()});
  llm.answer_calls(calls);
  llm.answer_text("done");
  std::mutex mu;
  std::condition_variable cv;
  int arrived = 0, inside = 0, most_inside = 0;
  const auto work = [&](const json&, const tools::ToolCallContext&) {
    std::unique_lock lock(mu);
    ++arrived;
    most_inside = std::max(most_inside, ++inside);
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(20), [&] { return arrived >= 10; });
    cv.wait_for(lock, std::chrono::seconds(1), [&] { return inside > 10; });
    --inside;
    return ok("done");
  };
  auto result =
      run_tool_loop(llm, {std::make_shared<FunctionTool>("work", work)}, "go", options_with(clock));
  REQUIRE(result.ok());
  CHECK(result->tool_calls.size() == 12);
  CHECK(most_inside == 10);
}

TEST_CASE("the deadline and cancellation are honoured between turns") {
  SUBCASE("deadline") {
    FakeClock clock;
    FakeLlm llm;
    llm.answer_calls({{"slow", json::object()}});
    ToolLoopOptions options = options_with(clock);
    options.deadline = clock.now() + std::chrono::seconds(30);
    const auto slow = [&](const json&, const tools::ToolCallContext& context) {
      CHECK(context.deadline == options.deadline);
      clock.advance(std::chrono::seconds(31));
      return ok("took long");
    };
    auto result = run_tool_loop(llm, {std::make_shared<FunctionTool>("slow", slow)}, "go", options);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code() == ErrorCode::kTimeout);
    CHECK(result.error().message() == "the run's deadline passed before iteration 2");
    CHECK(llm.requests().size() == 1);
  }
  SUBCASE("cancellation") {
    FakeClock clock;
    FakeLlm llm;
    llm.answer_calls({{"work", json::object()}});
    std::atomic<bool> cancelled{false};
    ToolLoopOptions options = options_with(clock);
    options.cancelled = &cancelled;
    const auto work = [&](const json&, const tools::ToolCallContext& context) {
      CHECK(context.cancelled == &cancelled);
      cancelled = true;  // the worker starts draining while the tool runs
      return ok("done");
    };
    auto result = run_tool_loop(llm, {std::make_shared<FunctionTool>("work", work)}, "go", options);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code() == ErrorCode::kUnavailable);
    CHECK(result.error().message() == "cancelled before iteration 2 (the worker is draining)");
    CHECK(llm.requests().size() == 1);
  }
}

TEST_CASE("a provider error keeps its code and gains the iteration; content filter is final") {
  FakeClock clock;
  FakeLlm limited;
  limited.answer(Error(ErrorCode::kResourceExhausted, "openai gpt-4o: HTTP 429: slow down"));
  auto failed = run_tool_loop(limited, {}, "hi there", options_with(clock));
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code() == ErrorCode::kResourceExhausted);
  CHECK(failed.error().message() == "iteration 1: openai gpt-4o: HTTP 429: slow down");

  FakeLlm filtered;
  llm::ChatResponse withheld;
  withheld.stop_reason = llm::StopReason::kContentFilter;
  filtered.answer(withheld);
  auto refused = run_tool_loop(filtered, {}, "hi there", options_with(clock));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kInvalidArgument);
  CHECK(refused.error().message() ==
        "iteration 1: the provider withheld the answer (content filter)");
}

TEST_CASE("usage adds up over the turns") {
  FakeClock clock;
  FakeLlm llm;
  llm::ChatResponse first;
  first.tool_calls.push_back({"c1", "echo", json::object(), nullptr});
  first.stop_reason = llm::StopReason::kToolUse;
  first.usage = {100, 10};
  llm::ChatResponse second;
  second.text = "done";
  second.usage = {150, 5};
  llm.answer(first);
  llm.answer(second);
  auto result =
      run_tool_loop(llm, {aof::testing::fixed_tool("echo", "ok")}, "go", options_with(clock));
  REQUIRE(result.ok());
  CHECK(result->iterations == 2);
  CHECK(result->usage.input_tokens == 250);
  CHECK(result->usage.output_tokens == 15);
}

}  // namespace aof::runtime::agent
