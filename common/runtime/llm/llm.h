#pragma once
// The LLM seam (reference/aof-formats.md §4.1-§4.3): one provider-neutral conversation that
// the tool loop (agent/tool_loop.h) speaks, and LlmClient, implemented once per wire format
// over the HttpClient seam: OpenAI-compatible chat completions (openai_chat.cc: OpenAI, Groq,
// Ollama, vLLM, any base URL), Anthropic Messages (anthropic_messages.cc), Google Gemini
// generateContent (gemini_generate.cc). make_llm_client picks one from AOF's `provider:model`.
//
// Unlike AOF, a conversation here keeps what each provider needs to follow it: the assistant
// turn that asked for tools goes back with its calls (OpenAI tool_calls, Anthropic tool_use
// blocks, Gemini functionCall parts) and every result answers its own call (tool_call_id,
// tool_result in a user turn, functionResponse named after that call).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/base/http_client.h"
#include "common/base/result.h"
#include "common/config/loader.h"
#include "common/runtime/tools/tool.h"

namespace aof::runtime::llm {

using ToolSpec = tools::ToolSpec;  // what the model is told about a tool

// A tool call the model asked for.
struct ToolCall {
  std::string id;  // the provider's id; Gemini gives none, so "call_<part index>"
  std::string name;
  // The parsed arguments (an object when the model behaved). When the model sent text that
  // is not JSON (OpenAI passes arguments as a string), this is a JSON string holding that
  // text: the loop answers it with an error instead of dropping the call as AOF does.
  nlohmann::json arguments = nlohmann::json::object();
  nlohmann::json provider_data;  // opaque, echoed back to the provider that made it (Gemini's
                                 // thoughtSignature); null = none
};

enum class Role { kUser, kAssistant, kTool };

struct Message {
  Role role = Role::kUser;
  std::string text;                  // user text, assistant text, or a tool result's content
  std::vector<ToolCall> tool_calls;  // kAssistant: the calls it asked for
  std::string tool_call_id;          // kTool: the id of the call this answers
  std::string tool_name;             // kTool: the name of that call (Gemini's functionResponse)
  bool is_error = false;             // kTool: the call failed (Anthropic's is_error)

  static Message user(std::string text);
  static Message assistant(std::string text, std::vector<ToolCall> calls);
  static Message tool_result(const ToolCall& call, std::string content, bool is_error);
};

struct ChatRequest {
  std::string system;                     // system prompt; "" = none
  std::vector<Message> messages;          // oldest first, starting with a user message
  std::vector<ToolSpec> tools;            // offered to the model; empty = none (no tools key sent)
  std::optional<double> temperature;      // AOF always sends the agent's (default 0.7)
  std::optional<int> max_tokens;          // Anthropic requires one: 4096 when unset, as AOF
  TimePoint deadline = TimePoint::max();  // no HTTP call or retry wait runs past it
};

enum class StopReason {
  kEndTurn,        // the model finished its answer
  kToolUse,        // it asked for tools (always so when tool_calls is non-empty)
  kMaxTokens,      // cut off at max_tokens
  kStopSequence,   // a stop sequence matched
  kContentFilter,  // the provider withheld the answer (safety, refusal)
  kOther,          // anything else the provider said
};
const char* to_string(StopReason reason);

struct Usage {
  std::int64_t input_tokens = 0;   // prompt tokens billed
  std::int64_t output_tokens = 0;  // completion tokens billed
  Usage& operator+=(const Usage& other);
};

struct ChatResponse {
  std::string text;                  // the assistant's text parts, concatenated
  std::vector<ToolCall> tool_calls;  // in the order the model gave them
  StopReason stop_reason = StopReason::kEndTurn;
  Usage usage;
};

class LlmClient {
 public:
  virtual ~LlmClient() = default;
  // One model turn for the model this client was made for. Blocks for the HTTP call and the
  // retries inside it: 429/500/502/503/504/529 and refused connections are retried up to
  // LlmRetryPolicy::max_retries times, waiting Retry-After seconds when given (a longer
  // Retry-After than max_wait, or a wait past the deadline, ends the retries at once).
  // Errors, each message starting "<provider> <model>: ":
  //   retryable, so the worker reschedules the event instead of holding its slot:
  //   kResourceExhausted (429 still), kUnavailable (5xx still, unreachable, malformed answer),
  //   kTimeout (the deadline or the HTTP timeout passed);
  //   permanent: kUnauthenticated (401, 403), kInvalidArgument (400, 404 unknown model,
  //   other 4xx, a prompt the provider blocked) — with the provider's own error message.
  // Never puts an API key in a message or a log line. Thread-safe.
  virtual Result<ChatResponse> chat(const ChatRequest& request) const = 0;
};

// ---- Choosing the provider ----------------------------------------------------------------

enum class Provider { kAnthropic, kOpenAI, kGoogle, kOllama, kGroq };
// "anthropic", "openai", "google", "ollama", "groq": also the keys of
// spec.runtime.llm.<provider>.base_url.
const char* to_string(Provider provider);

struct ModelRef {
  Provider provider = Provider::kAnthropic;
  std::string model;  // the provider's model id, e.g. "gpt-4o-mini", "llama3:8b"
};

// AOF's rule (reference §4.1): a `model` with ':' is split once, left = provider word,
// right = model id (which may hold ':' itself: ollama:llama3:8b); without ':' the agent's
// `provider` field names the provider, and without both it is Anthropic. Provider words:
// anthropic|claude, openai|gpt, google|gemini, ollama, groq. Errors, all kInvalidArgument
// (permanent): bedrock|aws|azure "is not supported in this build"; any other word
// "unknown provider"; an empty model id.
Result<ModelRef> parse_model(const std::string& model, const std::string& provider_field);

struct LlmRetryPolicy {
  int max_retries = 2;            // tries after the first, per chat() call
  Millis first_backoff{1000};     // without Retry-After: 1 s, then 2 s, ...
  Millis max_wait{10000};         // a Retry-After above this is not waited for
  Millis request_timeout{60000};  // per HTTP call (AOF's 60 s), deadline-capped
};

// What a client needs from its process. Shared by every client of one executor.
struct LlmDeps {
  std::shared_ptr<const HttpClient> http;        // outbound calls; required
  config::EnvLookup env;                         // API keys and base URL variables; required
  std::map<std::string, std::string> base_urls;  // spec.runtime.llm.<provider>.base_url
  const Clock* clock = &SystemClock::instance();
  std::function<void(Millis)> sleep;  // waits between retries; empty = this thread sleeps
  LlmRetryPolicy retry;
};

// A client for `model`. Base URL: the provider's public API (§4.2), replaced by
// deps.base_urls[to_string(provider)], replaced by the ecosystem's variable when set:
// OPENAI_BASE_URL, ANTHROPIC_BASE_URL, GOOGLE_GEMINI_BASE_URL, OLLAMA_HOST (with or
// without /v1; OLLAMA_HOST also without a scheme). Keys: OPENAI_API_KEY, ANTHROPIC_API_KEY,
// GOOGLE_API_KEY, GROQ_API_KEY (Ollama needs none). Errors (permanent, kInvalidArgument):
// the key's variable is unset or empty ("ANTHROPIC_API_KEY is not set ..."), a base URL
// that is not http(s).
Result<std::unique_ptr<LlmClient>> make_llm_client(const ModelRef& model, const LlmDeps& deps);

}  // namespace aof::runtime::llm
