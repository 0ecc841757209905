// Anthropic Messages on the wire, AOF's follow-up bug fixed: the assistant turn goes back with
// its tool_use blocks and the results follow in one user turn of tool_result blocks.
#include <doctest/doctest.h>

#include "common/runtime/agent/tool_loop.h"
#include "tests/support/fake_tools.h"
#include "tests/unit/llm/llm_fixture.h"

namespace aof::runtime::llm {
namespace {

using nlohmann::json;

const char* kToolTurn = R"({
  "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-3-5-sonnet-20241022",
  "content": [
    {"type": "text", "text": "I will check both."},
    {"type": "tool_use", "id": "toolu_a", "name": "get_weather", "input": {"q": "Oslo"}},
    {"type": "tool_use", "id": "toolu_b", "name": "get_time", "input": {"q": "CET"}}],
  "stop_reason": "tool_use", "stop_sequence": null,
  "usage": {"input_tokens": 50, "output_tokens": 20}})";

const char* kFinalTurn = R"({
  "id": "msg_2", "type": "message", "role": "assistant", "model": "claude-3-5-sonnet-20241022",
  "content": [{"type": "text", "text": "Oslo: 5 C; the time zone was not found."}],
  "stop_reason": "end_turn", "stop_sequence": null,
  "usage": {"input_tokens": 95, "output_tokens": 12}})";

json tool_specs() {
  const json schema = {{"type", "object"}, {"properties", {{"q", {{"type", "string"}}}}}};
  return json::array({{{"name", "get_weather"},
                       {"description", "returns fixed data for tests"},
                       {"input_schema", schema}},
                      {{"name", "get_time"},
                       {"description", "returns fixed data for tests"},
                       {"input_schema", schema}}});
}

}  // namespace

TEST_CASE("anthropic: tool_use blocks go back in the assistant turn, tool_result in a user turn") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply_json(kToolTurn);
  fixture.server().reply_json(kFinalTurn);
  auto weather = aof::testing::fixed_tool("get_weather", {{"temp_c", 5}});
  auto time =
      std::make_shared<aof::testing::FixedTool>("get_time", json(), false, "zone CET unknown");
  auto client = fixture.client("claude-3-5-sonnet-20241022");  // bare: Anthropic, as AOF

  agent::ToolLoopOptions options;
  options.system_prompt = "You are terse.";
  options.clock = &fixture.clock();  // temperature stays AOF's 0.7; max_tokens unset
  auto result =
      agent::run_tool_loop(*client, {weather, time}, "Weather and time in Oslo?", options);

  REQUIRE_MESSAGE(result.ok(), result.error().message());
  CHECK(result->output == "Oslo: 5 C; the time zone was not found.");
  CHECK(result->iterations == 2);
  CHECK(result->usage.input_tokens == 145);
  CHECK(result->usage.output_tokens == 32);
  CHECK(result->tool_calls == std::vector<std::string>{"get_weather", "get_time"});

  const auto requests = fixture.server().requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[1].target == "/v1/messages");
  CHECK(requests[1].headers.at("x-api-key") == "sk-ant-test");
  CHECK(requests[1].headers.at("anthropic-version") == "2023-06-01");
  const json expected_turn_2 = {
      {"model", "claude-3-5-sonnet-20241022"},
      {"max_tokens", 4096},  // AOF's default: the API requires one
      {"system", "You are terse."},
      {"temperature", 0.7},
      {"tools", tool_specs()},
      {"messages",
       {{{"role", "user"},
         {"content", {{{"type", "text"}, {"text", "Weather and time in Oslo?"}}}}},
        {{"role", "assistant"},
         {"content",
          {{{"type", "text"}, {"text", "I will check both."}},
           {{"type", "tool_use"},
            {"id", "toolu_a"},
            {"name", "get_weather"},
            {"input", {{"q", "Oslo"}}}},
           {{"type", "tool_use"},
            {"id", "toolu_b"},
            {"name", "get_time"},
            {"input", {{"q", "CET"}}}}}}},
        {{"role", "user"},
         {"content",
          {{{"type", "tool_result"},
            {"tool_use_id", "toolu_a"},
            {"content", R"({"data":{"temp_c":5},"success":true})"}},
           {{"type", "tool_result"},
            {"tool_use_id", "toolu_b"},
            {"content", R"({"data":null,"error":"zone CET unknown","success":false})"},
            {"is_error", true}}}}}}}};
  CHECK(fixture.body(1) == expected_turn_2);
}

TEST_CASE("anthropic: an unknown model is permanent, with Anthropic's own message") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply_json(
      R"({"type":"error","error":{"type":"not_found_error","message":"model: claude-9"}})", 404);
  auto client = fixture.client("anthropic:claude-9");
  ChatRequest request;
  request.messages.push_back(Message::user("hello?"));
  auto answer = client->chat(request);
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().code() == ErrorCode::kInvalidArgument);
  CHECK(answer.error().message() == "anthropic claude-9: HTTP 404: model: claude-9");
  CHECK(fixture.server().requests().size() == 1);
}

TEST_CASE("anthropic: 529 overloaded is retried like a 503") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply_json(
      R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})", 529);
  fixture.server().reply_json(kFinalTurn);
  auto client = fixture.client("claude:claude-3-5-sonnet-20241022");
  ChatRequest request;
  request.messages.push_back(Message::user("hello?"));
  auto answer = client->chat(request);
  REQUIRE_MESSAGE(answer.ok(), answer.error().message());
  CHECK(answer->stop_reason == StopReason::kEndTurn);
  CHECK(fixture.server().requests().size() == 2);
  CHECK(fixture.sleeps() == std::vector<Millis>{Millis(1000)});
}

}  // namespace aof::runtime::llm
