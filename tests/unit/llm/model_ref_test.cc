// AOF's provider:model strings (reference §4.1) as a table: what each picks, and the errors.
#include <doctest/doctest.h>

#include "common/runtime/llm/llm.h"

namespace aof::runtime::llm {

TEST_CASE("model strings pick the provider as AOF does") {
  struct Row {
    const char* model;
    const char* provider_field;
    Provider provider;
    const char* id;
  };
  const Row rows[] = {
      {"openai:gpt-4o-mini", "", Provider::kOpenAI, "gpt-4o-mini"},
      {"gpt:gpt-4o", "", Provider::kOpenAI, "gpt-4o"},
      {"anthropic:claude-3-5-sonnet-20241022", "", Provider::kAnthropic,
       "claude-3-5-sonnet-20241022"},
      {"claude:claude-3-haiku", "", Provider::kAnthropic, "claude-3-haiku"},
      {"google:gemini-2.5-flash", "", Provider::kGoogle, "gemini-2.5-flash"},
      {"gemini:gemini-1.5-pro", "", Provider::kGoogle, "gemini-1.5-pro"},
      {"groq:llama-3.1-70b-versatile", "", Provider::kGroq, "llama-3.1-70b-versatile"},
      // Split once: the id keeps its own colons.
      {"ollama:llama3:8b", "", Provider::kOllama, "llama3:8b"},
      // No colon: the provider field decides; without it, Anthropic (AOF's default).
      {"claude-3-5-sonnet-20241022", "", Provider::kAnthropic, "claude-3-5-sonnet-20241022"},
      {"gpt-4o", "openai", Provider::kOpenAI, "gpt-4o"},
      {"llama3", "ollama", Provider::kOllama, "llama3"},
      // With a colon the field is ignored.
      {"openai:gpt-4o", "anthropic", Provider::kOpenAI, "gpt-4o"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.model);
    auto ref = parse_model(row.model, row.provider_field);
    REQUIRE_MESSAGE(ref.ok(), ref.error().message());
    CHECK(ref->provider == row.provider);
    CHECK(ref->model == row.id);
  }
}

TEST_CASE("unknown and unsupported providers are permanent errors that say which") {
  struct Row {
    const char* model;
    const char* provider_field;
    const char* message;
  };
  const Row rows[] = {
      // A bare "llama3:8b" reads as provider llama3, as in AOF.
      {"llama3:8b", "",
       "unknown provider \"llama3\" (expected anthropic|claude, openai|gpt, "
       "google|gemini, ollama or groq)"},
      {"mistral-large", "mistral",
       "unknown provider \"mistral\" (expected anthropic|claude, "
       "openai|gpt, google|gemini, ollama or groq)"},
      {"OpenAI:gpt-4o", "",
       "unknown provider \"OpenAI\" (expected anthropic|claude, openai|gpt, "
       "google|gemini, ollama or groq)"},
      {"bedrock:anthropic.claude-3-sonnet-20240229-v1:0", "",
       "provider \"bedrock\" is not supported in this build (use anthropic, openai, google, "
       "ollama or groq; an OpenAI-compatible gateway works through "
       "spec.runtime.llm.openai.base_url)"},
      {"azure:gpt-4o", "",
       "provider \"azure\" is not supported in this build (use anthropic, openai, google, "
       "ollama or groq; an OpenAI-compatible gateway works through "
       "spec.runtime.llm.openai.base_url)"},
      {"openai:", "", "model \"openai:\" names no model id"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.model);
    auto ref = parse_model(row.model, row.provider_field);
    REQUIRE_FALSE(ref.ok());
    CHECK(ref.error().code() == ErrorCode::kInvalidArgument);
    CHECK_FALSE(is_retryable(ref.error().code()));
    CHECK(ref.error().message() == row.message);
  }
}

}  // namespace aof::runtime::llm
