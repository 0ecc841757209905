// make_llm_client: one switch from the provider to its wire format (llm.h).
#include "common/runtime/llm/providers.h"

namespace aof::runtime::llm {

std::string call_label(const ModelRef& model) {
  return std::string(to_string(model.provider)) + " " + model.model;
}

Result<std::unique_ptr<LlmClient>> make_llm_client(const ModelRef& model, const LlmDeps& deps) {
  auto endpoint = resolve_endpoint(model.provider, deps);
  if (!endpoint.ok()) return endpoint.error();
  ProviderSetup setup{model, std::move(*endpoint), deps};
  switch (model.provider) {
    case Provider::kOpenAI:
    case Provider::kGroq:
    case Provider::kOllama:
      return make_openai_chat(std::move(setup));
    case Provider::kAnthropic:
      return make_anthropic_messages(std::move(setup));
    case Provider::kGoogle:
      return make_gemini_generate(std::move(setup));
  }
  return Error(ErrorCode::kInternal, "no wire format for provider");
}

}  // namespace aof::runtime::llm
