// The provider-neutral parts of the LLM seam: message builders and names.
#include "common/runtime/llm/llm.h"

namespace aof::runtime::llm {

Message Message::user(std::string text) {
  Message m;
  m.role = Role::kUser;
  m.text = std::move(text);
  return m;
}

Message Message::assistant(std::string text, std::vector<ToolCall> calls) {
  Message m;
  m.role = Role::kAssistant;
  m.text = std::move(text);
  m.tool_calls = std::move(calls);
  return m;
}

Message Message::tool_result(const ToolCall& call, std::string content, bool is_error) {
  Message m;
  m.role = Role::kTool;
  m.text = std::move(content);
  m.tool_call_id = call.id;
  m.tool_name = call.name;
  m.is_error = is_error;
  return m;
}

const char* to_string(StopReason reason) {
  switch (reason) {
    case StopReason::kEndTurn:
      return "end_turn";
    case StopReason::kToolUse:
      return "tool_use";
    case StopReason::kMaxTokens:
      return "max_tokens";
    case StopReason::kStopSequence:
      return "stop_sequence";
    case StopReason::kContentFilter:
      return "content_filter";
    case StopReason::kOther:
      return "other";
  }
  return "other";
}

Usage& Usage::operator+=(const Usage& other) {
  input_tokens += other.input_tokens;
  output_tokens += other.output_tokens;
  return *this;
}

const char* to_string(Provider provider) {
  switch (provider) {
    case Provider::kAnthropic:
      return "anthropic";
    case Provider::kOpenAI:
      return "openai";
    case Provider::kGoogle:
      return "google";
    case Provider::kOllama:
      return "ollama";
    case Provider::kGroq:
      return "groq";
  }
  return "anthropic";
}

}  // namespace aof::runtime::llm
