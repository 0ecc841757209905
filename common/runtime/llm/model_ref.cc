// AOF's `provider:model` strings (reference §4.1), parsed as AOF parses them, with clearer
// errors for the providers this build does not speak.
#include <optional>

#include "common/runtime/llm/llm.h"

namespace aof::runtime::llm {
namespace {

std::optional<Provider> provider_of(const std::string& word) {
  if (word == "anthropic" || word == "claude") return Provider::kAnthropic;
  if (word == "openai" || word == "gpt") return Provider::kOpenAI;
  if (word == "google" || word == "gemini") return Provider::kGoogle;
  if (word == "ollama") return Provider::kOllama;
  if (word == "groq") return Provider::kGroq;
  return std::nullopt;
}

Error unsupported(const std::string& word) {
  if (word == "bedrock" || word == "aws" || word == "azure") {
    return Error(ErrorCode::kInvalidArgument,
                 "provider \"" + word +
                     "\" is not supported in this build (use anthropic, openai, google, ollama "
                     "or groq; an OpenAI-compatible gateway works through "
                     "spec.runtime.llm.openai.base_url)");
  }
  return Error(ErrorCode::kInvalidArgument,
               "unknown provider \"" + word +
                   "\" (expected anthropic|claude, openai|gpt, google|gemini, ollama or groq)");
}

}  // namespace

Result<ModelRef> parse_model(const std::string& model, const std::string& provider_field) {
  const auto colon = model.find(':');
  std::string word = "anthropic";  // AOF's default when neither names a provider
  std::string id = model;
  if (colon != std::string::npos) {
    word = model.substr(0, colon);
    id = model.substr(colon + 1);
  } else if (!provider_field.empty()) {
    word = provider_field;
  }
  const auto provider = provider_of(word);
  if (!provider) return unsupported(word);
  if (id.empty()) {
    return Error(ErrorCode::kInvalidArgument, "model \"" + model + "\" names no model id");
  }
  return ModelRef{*provider, id};
}

}  // namespace aof::runtime::llm
