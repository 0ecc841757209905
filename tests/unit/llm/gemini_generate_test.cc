// Gemini generateContent on the wire, AOF's bug fixed: each functionResponse is named after
// the call it answers, not after the first call of the turn.
#include <doctest/doctest.h>

#include "common/runtime/agent/tool_loop.h"
#include "tests/support/fake_tools.h"
#include "tests/unit/llm/llm_fixture.h"

namespace aof::runtime::llm {
namespace {

using nlohmann::json;

const char* kToolTurn = R"({
  "candidates": [{"index": 0, "finishReason": "STOP", "content": {"role": "model", "parts": [
    {"functionCall": {"name": "get_weather", "args": {"q": "Oslo"}}, "thoughtSignature": "sig-1"},
    {"functionCall": {"name": "get_time", "args": {"q": "CET"}}}]}}],
  "usageMetadata": {"promptTokenCount": 50, "candidatesTokenCount": 20, "totalTokenCount": 70}})";

const char* kFinalTurn = R"({
  "candidates": [{"index": 0, "finishReason": "STOP", "content": {"role": "model", "parts": [
    {"text": "Oslo: 5 C "}, {"text": "at 14:00."}]}}],
  "usageMetadata": {"promptTokenCount": 90, "candidatesTokenCount": 8, "totalTokenCount": 98}})";

json declarations() {
  const json schema = {{"type", "object"}, {"properties", {{"q", {{"type", "string"}}}}}};
  return json::array({{{"function_declarations",
                        {{{"name", "get_weather"},
                          {"description", "returns fixed data for tests"},
                          {"parameters", schema}},
                         {{"name", "get_time"},
                          {"description", "returns fixed data for tests"},
                          {"parameters", schema}}}}}});
}

}  // namespace

TEST_CASE("gemini: each functionResponse is named after its own call; signatures go back") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply_json(kToolTurn);
  fixture.server().reply_json(kFinalTurn);
  auto weather = aof::testing::fixed_tool("get_weather", {{"temp_c", 5}});
  auto time = aof::testing::fixed_tool("get_time", {{"time", "14:00"}});
  auto client = fixture.client("gemini-2.5-flash", "google");  // bare model + provider field

  agent::ToolLoopOptions options;
  options.system_prompt = "You are terse.";
  options.temperature = 0.2;
  options.max_tokens = 256;
  options.clock = &fixture.clock();
  auto result =
      agent::run_tool_loop(*client, {weather, time}, "Weather and time in Oslo?", options);

  REQUIRE_MESSAGE(result.ok(), result.error().message());
  CHECK(result->output == "Oslo: 5 C at 14:00.");
  CHECK(result->iterations == 2);
  CHECK(result->usage.input_tokens == 140);
  CHECK(result->usage.output_tokens == 28);
  CHECK(result->tool_calls == std::vector<std::string>{"get_weather", "get_time"});

  const auto requests = fixture.server().requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[1].target == "/v1beta/models/gemini-2.5-flash:generateContent");  // no ?key=
  CHECK(requests[1].headers.at("x-goog-api-key") == "google-test-key");
  const json expected_turn_2 = {
      {"system_instruction", {{"parts", {{{"text", "You are terse."}}}}}},
      {"generation_config", {{"temperature", 0.2}, {"max_output_tokens", 256}}},
      {"tools", declarations()},
      {"contents",
       {{{"role", "user"}, {"parts", {{{"text", "Weather and time in Oslo?"}}}}},
        {{"role", "model"},
         {"parts",
          {{{"functionCall", {{"name", "get_weather"}, {"args", {{"q", "Oslo"}}}}},
            {"thoughtSignature", "sig-1"}},
           {{"functionCall", {{"name", "get_time"}, {"args", {{"q", "CET"}}}}}}}}},
        {{"role", "user"},
         {"parts",
          {{{"functionResponse",
             {{"name", "get_weather"},
              {"response", {{"data", {{"temp_c", 5}}}, {"success", true}}}}}},
           {{"functionResponse",
             {{"name", "get_time"},
              {"response", {{"data", {{"time", "14:00"}}}, {"success", true}}}}}}}}}}}};
  CHECK(fixture.body(1) == expected_turn_2);
}

TEST_CASE("gemini: a blocked prompt is permanent; no candidates otherwise is retryable") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply_json(R"({"promptFeedback": {"blockReason": "SAFETY"}})");
  auto client = fixture.client("google:gemini-2.5-flash");
  ChatRequest request;
  request.messages.push_back(Message::user("something blocked"));
  auto blocked = client->chat(request);
  REQUIRE_FALSE(blocked.ok());
  CHECK(blocked.error().code() == ErrorCode::kInvalidArgument);
  CHECK(blocked.error().message() == "google gemini-2.5-flash: the prompt was blocked (SAFETY)");

  fixture.server().reply_json(R"({"candidates": []})");
  auto empty = client->chat(request);
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().code() == ErrorCode::kUnavailable);
}

}  // namespace aof::runtime::llm
