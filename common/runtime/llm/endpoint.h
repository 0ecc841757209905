#pragma once
// Private to common/runtime/llm: where a provider is reached and with which key. The
// precedence (DESIGN §3): the provider's public API < spec.runtime.llm.<provider>.base_url <
// the ecosystem's own variable (OPENAI_BASE_URL, ANTHROPIC_BASE_URL, GOOGLE_GEMINI_BASE_URL,
// OLLAMA_HOST). Users write these with or without the version path, so it is normalised.

#include <string>

#include "common/runtime/llm/llm.h"

namespace aof::runtime::llm {

struct Endpoint {
  // Normalised, without a trailing '/': OpenAI-compatible ".../v1" (calls go to
  // <base>/chat/completions), Anthropic the host root (<base>/v1/messages), Gemini
  // ".../v1beta" (<base>/models/<model>:generateContent).
  std::string base_url;
  std::string api_key;  // "" for Ollama; never logged or put in a message
};

// The variable holding the provider's key ("" for Ollama, which needs none).
const char* api_key_variable(Provider provider);

// Errors (kInvalidArgument, permanent): the key variable unset or empty, naming it; a base URL
// that is not http(s), naming where it came from.
Result<Endpoint> resolve_endpoint(Provider provider, const LlmDeps& deps);

}  // namespace aof::runtime::llm
