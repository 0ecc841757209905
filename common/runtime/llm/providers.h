#pragma once
// Private to common/runtime/llm: one maker per wire format, called by make_llm_client's
// switch (factory.cc). Each lives in its own .cc with its class in an unnamed namespace.

#include <memory>

#include "common/runtime/llm/endpoint.h"
#include "common/runtime/llm/llm.h"

namespace aof::runtime::llm {

struct ProviderSetup {
  ModelRef model;
  Endpoint endpoint;
  LlmDeps deps;
};

// POST <base>/chat/completions, Authorization: Bearer <key> (none for Ollama).
std::unique_ptr<LlmClient> make_openai_chat(ProviderSetup setup);
// POST <base>/v1/messages, x-api-key and anthropic-version: 2023-06-01.
std::unique_ptr<LlmClient> make_anthropic_messages(ProviderSetup setup);
// POST <base>/models/<model>:generateContent, x-goog-api-key.
std::unique_ptr<LlmClient> make_gemini_generate(ProviderSetup setup);

// "<provider> <model>": how every message about a call begins.
std::string call_label(const ModelRef& model);

}  // namespace aof::runtime::llm
