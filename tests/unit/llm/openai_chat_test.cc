// OpenAI-compatible chat completions on the wire: a fake speaking the real format, a
// conversation with two tool calls to the final answer through the tool loop.
#include <doctest/doctest.h>

#include "common/runtime/agent/tool_loop.h"
#include "tests/support/fake_tools.h"
#include "tests/unit/llm/llm_fixture.h"

namespace aof::runtime::llm {
namespace {

using nlohmann::json;

const char* kToolTurn = R"({
  "id": "chatcmpl-1", "object": "chat.completion", "model": "gpt-4o-mini",
  "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
    "role": "assistant", "content": null,
    "tool_calls": [
      {"id": "call_a", "type": "function",
       "function": {"name": "get_weather", "arguments": "{\"q\":\"Oslo\"}"}},
      {"id": "call_b", "type": "function",
       "function": {"name": "get_time", "arguments": "{\"q\":\"CET\"}"}}]}}],
  "usage": {"prompt_tokens": 50, "completion_tokens": 20, "total_tokens": 70}})";

const char* kFinalTurn = R"({
  "id": "chatcmpl-2", "object": "chat.completion", "model": "gpt-4o-mini",
  "choices": [{"index": 0, "finish_reason": "stop",
               "message": {"role": "assistant", "content": "Oslo: 5 C at 14:00."}}],
  "usage": {"prompt_tokens": 90, "completion_tokens": 8, "total_tokens": 98}})";

json tool_specs() {
  const json parameters = {{"type", "object"}, {"properties", {{"q", {{"type", "string"}}}}}};
  json specs = json::array();
  for (const char* name : {"get_weather", "get_time"}) {
    specs.push_back({{"type", "function"},
                     {"function",
                      {{"name", name},
                       {"description", "returns fixed data for tests"},
                       {"parameters", parameters}}}});
  }
  return specs;
}

agent::ToolLoopOptions options(FakeClock& clock) {
  agent::ToolLoopOptions o;
  o.system_prompt = "You are terse.";
  o.temperature = 0.2;
  o.max_tokens = 256;
  o.clock = &clock;
  return o;
}

}  // namespace

TEST_CASE("openai: two tool calls answered by tool_call_id, then the final answer") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply_json(kToolTurn);
  fixture.server().reply_json(kFinalTurn);
  auto weather = aof::testing::fixed_tool("get_weather", {{"temp_c", 5}});
  auto time = aof::testing::fixed_tool("get_time", {{"time", "14:00"}});
  auto client = fixture.client("openai:gpt-4o-mini");

  auto result = agent::run_tool_loop(*client, {weather, time}, "Weather and time in Oslo?",
                                     options(fixture.clock()));

  REQUIRE_MESSAGE(result.ok(), result.error().message());
  CHECK(result->output == "Oslo: 5 C at 14:00.");
  CHECK(result->iterations == 2);
  CHECK(result->usage.input_tokens == 140);
  CHECK(result->usage.output_tokens == 28);
  CHECK(result->tool_calls == std::vector<std::string>{"get_weather", "get_time"});
  CHECK(weather->calls() == std::vector<json>{{{"q", "Oslo"}}});
  CHECK(time->calls() == std::vector<json>{{{"q", "CET"}}});

  const auto requests = fixture.server().requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[1].method == "POST");
  CHECK(requests[1].target == "/v1/chat/completions");
  CHECK(requests[1].headers.at("authorization") == "Bearer sk-openai-test");
  CHECK(requests[1].headers.at("content-type") == "application/json");
  const json expected_turn_2 = {
      {"model", "gpt-4o-mini"},
      {"temperature", 0.2},
      {"max_tokens", 256},
      {"tools", tool_specs()},
      {"messages",
       {{{"role", "system"}, {"content", "You are terse."}},
        {{"role", "user"}, {"content", "Weather and time in Oslo?"}},
        {{"role", "assistant"},
         {"content", nullptr},
         {"tool_calls",
          {{{"id", "call_a"},
            {"type", "function"},
            {"function", {{"name", "get_weather"}, {"arguments", R"({"q":"Oslo"})"}}}},
           {{"id", "call_b"},
            {"type", "function"},
            {"function", {{"name", "get_time"}, {"arguments", R"({"q":"CET"})"}}}}}}},
        {{"role", "tool"},
         {"tool_call_id", "call_a"},
         {"content", R"({"data":{"temp_c":5},"success":true})"}},
        {{"role", "tool"},
         {"tool_call_id", "call_b"},
         {"content", R"({"data":{"time":"14:00"},"success":true})"}}}}};
  CHECK(fixture.body(1) == expected_turn_2);
  // Turn 1 is the same conversation before the assistant's turn.
  json expected_turn_1 = expected_turn_2;
  expected_turn_1["messages"] =
      json::array({expected_turn_2["messages"][0], expected_turn_2["messages"][1]});
  CHECK(fixture.body(0) == expected_turn_1);
}

TEST_CASE("openai: arguments that are not JSON reach the model as an error, not a dropped call") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply_json(R"({"choices": [{"finish_reason": "tool_calls", "message": {
      "role": "assistant", "content": "Let me look.", "tool_calls": [{"id": "call_x",
      "type": "function", "function": {"name": "get_weather", "arguments": "{city: Oslo"}}]}}]})");
  fixture.server().reply_json(kFinalTurn);
  auto weather = aof::testing::fixed_tool("get_weather", {{"temp_c", 5}});
  auto client = fixture.client("openai:gpt-4o-mini");

  auto result = agent::run_tool_loop(*client, {weather}, "Weather?", options(fixture.clock()));

  REQUIRE_MESSAGE(result.ok(), result.error().message());
  CHECK(weather->calls().empty());
  const json turn_2 = fixture.body(1)["messages"];
  CHECK(turn_2[2]["content"] == "Let me look.");
  CHECK(turn_2[2]["tool_calls"][0]["function"]["arguments"] == "{city: Oslo");  // as sent
  CHECK(
      turn_2[3] ==
      json{
          {"role", "tool"},
          {"tool_call_id", "call_x"},
          {"content",
           R"({"data":null,"error":"the arguments must be a JSON object; got: {city: Oslo","success":false})"}});
}

TEST_CASE("groq and ollama speak the same format at their own base URLs; ollama sends no key") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply_json(kFinalTurn);
  auto groq = fixture.client("groq:llama-3.1-70b-versatile");
  ChatRequest request;
  request.messages.push_back(Message::user("hi there"));
  auto answer = groq->chat(request);
  REQUIRE_MESSAGE(answer.ok(), answer.error().message());
  CHECK(answer->text == "Oslo: 5 C at 14:00.");
  CHECK(answer->stop_reason == StopReason::kEndTurn);

  auto ollama = fixture.client("ollama:llama3:8b");
  REQUIRE(ollama->chat(request).ok());
  const auto requests = fixture.server().requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].target == "/openai/v1/chat/completions");
  CHECK(requests[0].headers.at("authorization") == "Bearer gsk-test");
  CHECK(requests[1].target == "/v1/chat/completions");
  CHECK(requests[1].headers.count("authorization") == 0);
  CHECK(fixture.body(1)["model"] == "llama3:8b");
  // No tools offered: no tools key (OpenAI refuses an empty list); no system: no system turn.
  CHECK(fixture.body(1) ==
        json{{"model", "llama3:8b"}, {"messages", {{{"role", "user"}, {"content", "hi there"}}}}});
}

}  // namespace aof::runtime::llm
