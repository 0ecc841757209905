#include "common/runtime/llm/endpoint.h"

namespace aof::runtime::llm {
namespace {

const char* default_base(Provider provider) {
  switch (provider) {
    case Provider::kAnthropic:
      return "https://api.anthropic.com";
    case Provider::kOpenAI:
      return "https://api.openai.com/v1";
    case Provider::kGoogle:
      return "https://generativelanguage.googleapis.com/v1beta";
    case Provider::kOllama:
      return "http://localhost:11434/v1";
    case Provider::kGroq:
      return "https://api.groq.com/openai/v1";
  }
  return "";
}

// The variable that overrides the base URL; nullptr when the ecosystem has none (Groq).
const char* base_variable(Provider provider) {
  switch (provider) {
    case Provider::kAnthropic:
      return "ANTHROPIC_BASE_URL";
    case Provider::kOpenAI:
      return "OPENAI_BASE_URL";
    case Provider::kGoogle:
      return "GOOGLE_GEMINI_BASE_URL";
    case Provider::kOllama:
      return "OLLAMA_HOST";
    case Provider::kGroq:
      return nullptr;
  }
  return nullptr;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The path part of an http(s) URL ("" for "http://host:port").
std::string path_of(const std::string& url) {
  const auto authority = url.find("://") + 3;
  const auto slash = url.find('/', authority);
  return slash == std::string::npos ? "" : url.substr(slash);
}

// Adds or removes the version path as the wire format's calls expect it.
std::string normalise(Provider provider, std::string url) {
  while (ends_with(url, "/")) url.pop_back();
  const bool bare = path_of(url).empty();
  switch (provider) {
    case Provider::kAnthropic:  // the SDK's ANTHROPIC_BASE_URL has no /v1; accept both
      if (ends_with(url, "/v1")) url.resize(url.size() - 3);
      return url;
    case Provider::kGoogle:
      return bare ? url + "/v1beta" : url;
    case Provider::kOpenAI:
    case Provider::kOllama:
    case Provider::kGroq:
      return bare ? url + "/v1" : url;
  }
  return url;
}

Result<std::string> base_url(Provider provider, const LlmDeps& deps) {
  std::string url = default_base(provider);
  std::string origin = "default";
  if (const auto it = deps.base_urls.find(to_string(provider));
      it != deps.base_urls.end() && !it->second.empty()) {
    url = it->second;
    origin = std::string("spec.runtime.llm.") + to_string(provider) + ".base_url";
  }
  if (const char* name = base_variable(provider)) {
    if (const char* value = deps.env(name); value != nullptr && *value != '\0') {
      url = value;
      origin = name;
    }
  }
  // OLLAMA_HOST is often host:port alone (Ollama's own format).
  if (provider == Provider::kOllama && url.find("://") == std::string::npos) url = "http://" + url;
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Error(ErrorCode::kInvalidArgument,
                 origin + ": base URL must start with http:// or https://");
  }
  return normalise(provider, url);
}

}  // namespace

const char* api_key_variable(Provider provider) {
  switch (provider) {
    case Provider::kAnthropic:
      return "ANTHROPIC_API_KEY";
    case Provider::kOpenAI:
      return "OPENAI_API_KEY";
    case Provider::kGoogle:
      return "GOOGLE_API_KEY";
    case Provider::kGroq:
      return "GROQ_API_KEY";
    case Provider::kOllama:
      return "";
  }
  return "";
}

Result<Endpoint> resolve_endpoint(Provider provider, const LlmDeps& deps) {
  auto base = base_url(provider, deps);
  if (!base.ok()) return base.error();
  Endpoint endpoint{std::move(*base), ""};
  const std::string variable = api_key_variable(provider);
  if (variable.empty()) return endpoint;
  const char* key = deps.env(variable.c_str());
  if (key == nullptr || *key == '\0') {
    return Error(ErrorCode::kInvalidArgument, variable + " is not set (the " + to_string(provider) +
                                                  " provider needs it; set it in the worker's "
                                                  "environment)");
  }
  endpoint.api_key = key;
  return endpoint;
}

}  // namespace aof::runtime::llm
