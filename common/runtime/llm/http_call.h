#pragma once
// Private to common/runtime/llm: one provider call as every wire format makes it. POSTs JSON,
// retries inside the call what may clear in seconds, and maps what is left to the error codes
// LlmClient::chat promises (llm.h), with the provider's own error message.

#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "common/runtime/llm/llm.h"

namespace aof::runtime::llm {

struct ProviderCall {
  std::string label;                           // "openai gpt-4o-mini": opens every message
  std::string url;                             // never put in a message
  std::map<std::string, std::string> headers;  // the key among them; never logged
  nlohmann::json body;
};

// The parsed body of a 2xx answer. Retries 429, 500, 502, 503, 504, 529 and refused
// connections per deps.retry; waits through deps.sleep; never starts a call or a wait that
// would end past `deadline`.
Result<nlohmann::json> post_json(const ProviderCall& call, const LlmDeps& deps, TimePoint deadline);

// The provider's message in an error body: error.message (OpenAI, Anthropic and Gemini all
// use it), else a string `error`, else the body's first 300 bytes.
std::string provider_message(const std::string& body);

}  // namespace aof::runtime::llm
