// Retries inside one model call (llm.h): which statuses are retried, how Retry-After is
// honoured, and which error the worker gets when they run out. Waits go through the fixture's
// recording sleep, so nothing here sleeps.
#include <doctest/doctest.h>

#include "tests/unit/llm/llm_fixture.h"

namespace aof::runtime::llm {
namespace {

const char* kAnswer = R"({"choices": [{"finish_reason": "stop",
    "message": {"role": "assistant", "content": "done"}}],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1}})";
const char* kRateLimited = R"({"error": {"message": "Rate limit reached for gpt-4o-mini",
    "type": "requests", "code": "rate_limit_exceeded"}})";

ChatRequest ask() {
  ChatRequest request;
  request.messages.push_back(Message::user("status?"));
  return request;
}

aof::testing::ScriptedReply rate_limited(const char* retry_after) {
  return {429, kRateLimited, {{"Retry-After", retry_after}}, {}};
}

}  // namespace

TEST_CASE("429 with Retry-After waits that long, then the answer counts") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply(rate_limited("3"));
  fixture.server().reply_json(kAnswer);
  auto answer = fixture.client("openai:gpt-4o-mini")->chat(ask());
  REQUIRE_MESSAGE(answer.ok(), answer.error().message());
  CHECK(answer->text == "done");
  CHECK(answer->usage.input_tokens == 3);
  CHECK(fixture.server().requests().size() == 2);
  CHECK(fixture.sleeps() == std::vector<Millis>{Millis(3000)});
}

TEST_CASE("429 forever: two retries, then a retryable error so the worker reschedules") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply(rate_limited("1"));
  auto answer = fixture.client("openai:gpt-4o-mini")->chat(ask());
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().code() == ErrorCode::kResourceExhausted);
  CHECK(is_retryable(answer.error().code()));
  CHECK(answer.error().message() ==
        "openai gpt-4o-mini: HTTP 429: Rate limit reached for gpt-4o-mini (after 3 attempts)");
  CHECK(fixture.server().requests().size() == 3);
  CHECK(fixture.sleeps() == std::vector<Millis>{Millis(1000), Millis(1000)});
}

TEST_CASE("5xx without Retry-After backs off 1 s then 2 s and ends kUnavailable") {
  for (int status : {500, 502, 503, 504}) {
    CAPTURE(status);
    aof::testing::LlmFixture fixture;
    fixture.server().reply_json(R"({"error": {"message": "upstream trouble"}})", status);
    auto answer = fixture.client("openai:gpt-4o-mini")->chat(ask());
    REQUIRE_FALSE(answer.ok());
    CHECK(answer.error().code() == ErrorCode::kUnavailable);
    CHECK(fixture.server().requests().size() == 3);
    CHECK(fixture.sleeps() == std::vector<Millis>{Millis(1000), Millis(2000)});
  }
}

TEST_CASE("401 is permanent after exactly one call, with the provider's message and no key") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply_json(
      R"({"error": {"message": "Incorrect API key provided: sk-op***test.", "type":
          "invalid_request_error", "code": "invalid_api_key"}})",
      401);
  auto answer = fixture.client("openai:gpt-4o-mini")->chat(ask());
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().code() == ErrorCode::kUnauthenticated);
  CHECK_FALSE(is_retryable(answer.error().code()));
  CHECK(answer.error().message() ==
        "openai gpt-4o-mini: HTTP 401: Incorrect API key provided: sk-op***test.");
  CHECK(answer.error().message().find("sk-openai-test") == std::string::npos);
  CHECK(fixture.server().requests().size() == 1);
  CHECK(fixture.sleeps().empty());
}

TEST_CASE("400 and 403 are permanent after one call") {
  for (int status : {400, 403}) {
    CAPTURE(status);
    aof::testing::LlmFixture fixture;
    fixture.server().reply_json(R"({"error": {"message": "no"}})", status);
    auto answer = fixture.client("openai:gpt-4o-mini")->chat(ask());
    REQUIRE_FALSE(answer.ok());
    CHECK_FALSE(is_retryable(answer.error().code()));
    CHECK(fixture.server().requests().size() == 1);
  }
}

TEST_CASE("a Retry-After longer than a call waits ends the retries at once, still retryable") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply(rate_limited("120"));
  auto answer = fixture.client("openai:gpt-4o-mini")->chat(ask());
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().code() == ErrorCode::kResourceExhausted);
  CHECK(answer.error().message() ==
        "openai gpt-4o-mini: HTTP 429: Rate limit reached for gpt-4o-mini (Retry-After 120 s "
        "is longer than a call waits; the event is retried later)");
  CHECK(fixture.server().requests().size() == 1);
  CHECK(fixture.sleeps().empty());
}

TEST_CASE("no retry wait runs past the run's deadline") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply(rate_limited("3"));
  ChatRequest request = ask();
  request.deadline = fixture.clock().now() + std::chrono::seconds(2);
  auto answer = fixture.client("openai:gpt-4o-mini")->chat(request);
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().code() == ErrorCode::kResourceExhausted);
  CHECK(fixture.server().requests().size() == 1);
  CHECK(fixture.sleeps().empty());

  request.deadline = fixture.clock().now();  // already passed: no call at all
  auto late = fixture.client("openai:gpt-4o-mini")->chat(request);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code() == ErrorCode::kTimeout);
  CHECK(fixture.server().requests().size() == 1);
}

TEST_CASE("an unreachable provider is retried, then kUnavailable") {
  aof::testing::LlmFixture fixture;
  int closed_port = 0;
  {
    aof::testing::ScriptedHttpServer gone;
    closed_port = std::stoi(gone.base_url().substr(gone.base_url().rfind(':') + 1));
  }
  fixture.env()["OPENAI_BASE_URL"] = "http://127.0.0.1:" + std::to_string(closed_port);
  auto answer = fixture.client("openai:gpt-4o-mini")->chat(ask());
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().code() == ErrorCode::kUnavailable);
  CHECK(answer.error().message().rfind("openai gpt-4o-mini: POST http://127.0.0.1:", 0) == 0);
  CHECK(fixture.sleeps() == std::vector<Millis>{Millis(1000), Millis(2000)});
}

TEST_CASE("a 200 that is not a JSON object is retryable kUnavailable") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply_json("<html>gateway says hi</html>");
  auto answer = fixture.client("openai:gpt-4o-mini")->chat(ask());
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.error().code() == ErrorCode::kUnavailable);
  CHECK(answer.error().message() == "openai gpt-4o-mini: the answer is not a JSON object");
}

}  // namespace aof::runtime::llm
