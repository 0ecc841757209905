// Where each provider is reached and with which key: defaults, config, the ecosystem's
// variables (with or without /v1), and the permanent error for a missing key.
#include <doctest/doctest.h>

#include "common/runtime/llm/endpoint.h"
#include "tests/unit/llm/llm_fixture.h"

namespace aof::runtime::llm {
namespace {

LlmDeps deps_with(std::map<std::string, std::string> env,
                  std::map<std::string, std::string> base_urls = {}) {
  LlmDeps deps;
  deps.env = aof::testing::fake_env(std::move(env));
  deps.base_urls = std::move(base_urls);
  return deps;
}

const char* kAnswer = R"({"choices": [{"finish_reason": "stop",
    "message": {"role": "assistant", "content": "ok"}}]})";

ChatRequest ask() {
  ChatRequest request;
  request.messages.push_back(Message::user("ping?"));
  return request;
}

}  // namespace

TEST_CASE("without configuration each provider is reached at its public API") {
  const LlmDeps deps = deps_with({{"OPENAI_API_KEY", "k"},
                                  {"ANTHROPIC_API_KEY", "k"},
                                  {"GOOGLE_API_KEY", "k"},
                                  {"GROQ_API_KEY", "k"}});
  const std::pair<Provider, const char*> rows[] = {
      {Provider::kOpenAI, "https://api.openai.com/v1"},
      {Provider::kAnthropic, "https://api.anthropic.com"},
      {Provider::kGoogle, "https://generativelanguage.googleapis.com/v1beta"},
      {Provider::kGroq, "https://api.groq.com/openai/v1"},
      {Provider::kOllama, "http://localhost:11434/v1"},
  };
  for (const auto& [provider, base] : rows) {
    CAPTURE(to_string(provider));
    auto endpoint = resolve_endpoint(provider, deps);
    REQUIRE(endpoint.ok());
    CHECK(endpoint->base_url == base);
  }
}

TEST_CASE("the ecosystem's variables win over config, with or without the version path") {
  struct Row {
    Provider provider;
    const char* variable;
    const char* value;
    const char* base;
  };
  const Row rows[] = {
      {Provider::kOpenAI, "OPENAI_BASE_URL", "http://vllm:8000", "http://vllm:8000/v1"},
      {Provider::kOpenAI, "OPENAI_BASE_URL", "http://vllm:8000/v1/", "http://vllm:8000/v1"},
      {Provider::kOpenAI, "OPENAI_BASE_URL", "https://gw.corp/openai/v1",
       "https://gw.corp/openai/v1"},
      {Provider::kAnthropic, "ANTHROPIC_BASE_URL", "https://proxy.corp", "https://proxy.corp"},
      {Provider::kAnthropic, "ANTHROPIC_BASE_URL", "https://proxy.corp/v1", "https://proxy.corp"},
      {Provider::kGoogle, "GOOGLE_GEMINI_BASE_URL", "https://g.corp", "https://g.corp/v1beta"},
      {Provider::kGoogle, "GOOGLE_GEMINI_BASE_URL", "https://g.corp/v1beta",
       "https://g.corp/v1beta"},
      {Provider::kOllama, "OLLAMA_HOST", "http://gpu-box:11434", "http://gpu-box:11434/v1"},
      {Provider::kOllama, "OLLAMA_HOST", "gpu-box:11434", "http://gpu-box:11434/v1"},
      {Provider::kOllama, "OLLAMA_HOST", "http://gpu-box:11434/v1", "http://gpu-box:11434/v1"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.value);
    const LlmDeps deps = deps_with({{row.variable, row.value},
                                    {"OPENAI_API_KEY", "k"},
                                    {"ANTHROPIC_API_KEY", "k"},
                                    {"GOOGLE_API_KEY", "k"}},
                                   {{to_string(row.provider), "http://from-config:1/v1"}});
    auto endpoint = resolve_endpoint(row.provider, deps);
    REQUIRE_MESSAGE(endpoint.ok(), endpoint.error().message());
    CHECK(endpoint->base_url == row.base);
  }
  auto configured = resolve_endpoint(
      Provider::kGroq,
      deps_with({{"GROQ_API_KEY", "k"}}, {{"groq", "https://groq.corp/openai/v1/"}}));
  REQUIRE(configured.ok());
  CHECK(configured->base_url == "https://groq.corp/openai/v1");
}

TEST_CASE("a base URL that is not http(s) is a permanent error naming where it came from") {
  auto from_config = resolve_endpoint(
      Provider::kOpenAI, deps_with({{"OPENAI_API_KEY", "k"}}, {{"openai", "api.openai.com/v1"}}));
  REQUIRE_FALSE(from_config.ok());
  CHECK(from_config.error().code() == ErrorCode::kInvalidArgument);
  CHECK(from_config.error().message() ==
        "spec.runtime.llm.openai.base_url: base URL must start with http:// or https://");
  auto from_env =
      resolve_endpoint(Provider::kAnthropic,
                       deps_with({{"ANTHROPIC_API_KEY", "k"}, {"ANTHROPIC_BASE_URL", "ftp://x"}}));
  REQUIRE_FALSE(from_env.ok());
  CHECK(from_env.error().message() ==
        "ANTHROPIC_BASE_URL: base URL must start with http:// or https://");
}

TEST_CASE("a missing key is permanent, names the variable, and nothing is sent") {
  const std::pair<const char*, const char*> rows[] = {
      {"openai:gpt-4o", "OPENAI_API_KEY"},
      {"anthropic:claude-3-5-sonnet-20241022", "ANTHROPIC_API_KEY"},
      {"google:gemini-2.5-flash", "GOOGLE_API_KEY"},
      {"groq:llama-3.1-8b-instant", "GROQ_API_KEY"},
  };
  for (const auto& [model, variable] : rows) {
    CAPTURE(model);
    aof::testing::LlmFixture fixture;
    fixture.env().erase(variable);
    auto ref = parse_model(model, "");
    REQUIRE(ref.ok());
    auto client = make_llm_client(*ref, fixture.deps());
    REQUIRE_FALSE(client.ok());
    CHECK(client.error().code() == ErrorCode::kInvalidArgument);
    CHECK_FALSE(is_retryable(client.error().code()));
    CHECK(client.error().message() ==
          std::string(variable) + " is not set (the " + to_string(ref->provider) +
              " provider needs it; set it in the worker's environment)");
    fixture.env()[variable] = "";  // set but empty is the same
    CHECK_FALSE(make_llm_client(*ref, fixture.deps()).ok());
    CHECK(fixture.server().requests().empty());
  }
}

TEST_CASE("OPENAI_BASE_URL without /v1 reaches <base>/v1/chat/completions over the wire") {
  aof::testing::LlmFixture fixture;
  fixture.server().reply_json(kAnswer);
  fixture.env()["OPENAI_BASE_URL"] = fixture.server().base_url();
  LlmDeps deps = fixture.deps();
  deps.base_urls["openai"] = "http://127.0.0.1:1/v1";  // config points elsewhere: env wins
  auto client = make_llm_client({Provider::kOpenAI, "gpt-4o"}, deps);
  REQUIRE(client.ok());
  auto answer = (*client)->chat(ask());
  REQUIRE_MESSAGE(answer.ok(), answer.error().message());
  const auto requests = fixture.server().requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target == "/v1/chat/completions");
}

}  // namespace aof::runtime::llm
