// OpenAI-compatible chat completions (reference §4.2): OpenAI, Groq, Ollama, vLLM and any
// server at a configured base URL. The assistant turn that asked for tools goes back with
// its tool_calls; each result is a role "tool" message with the call's tool_call_id.

#include "common/runtime/llm/http_call.h"
#include "common/runtime/llm/providers.h"
#include "common/runtime/llm/wire_json.h"

namespace aof::runtime::llm {
namespace {

using nlohmann::json;

// OpenAI sends arguments as a JSON string; a call whose text did not parse keeps that text.
std::string arguments_text(const ToolCall& call) {
  return call.arguments.is_string() ? call.arguments.get<std::string>() : call.arguments.dump();
}

json assistant_message(const Message& m) {
  json out = {{"role", "assistant"}};
  out["content"] = m.text.empty() && !m.tool_calls.empty() ? json(nullptr) : json(m.text);
  if (m.tool_calls.empty()) return out;
  out["tool_calls"] = json::array();
  for (const auto& call : m.tool_calls) {
    out["tool_calls"].push_back(
        {{"id", call.id},
         {"type", "function"},
         {"function", {{"name", call.name}, {"arguments", arguments_text(call)}}}});
  }
  return out;
}

json message(const Message& m) {
  switch (m.role) {
    case Role::kUser:
      return {{"role", "user"}, {"content", m.text}};
    case Role::kAssistant:
      return assistant_message(m);
    case Role::kTool:
      return {{"role", "tool"}, {"tool_call_id", m.tool_call_id}, {"content", m.text}};
  }
  return json::object();
}

json request_body(const std::string& model, const ChatRequest& request) {
  json body = {{"model", model}, {"messages", json::array()}};
  if (!request.system.empty()) {
    body["messages"].push_back({{"role", "system"}, {"content", request.system}});
  }
  for (const auto& m : request.messages) body["messages"].push_back(message(m));
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.max_tokens) body["max_tokens"] = *request.max_tokens;
  if (!request.tools.empty()) {
    body["tools"] = json::array();
    for (const auto& tool : request.tools) {
      body["tools"].push_back({{"type", "function"},
                               {"function",
                                {{"name", tool.name},
                                 {"description", tool.description},
                                 {"parameters", tool.parameters}}}});
    }
  }
  return body;
}

ToolCall tool_call(const json& wire) {
  const json& function = wire::member(wire, "function");
  ToolCall call;
  call.id = wire::string_at(wire, "id");
  call.name = wire::string_at(function, "name");
  const json& arguments = wire::member(function, "arguments");
  if (arguments.is_object()) {  // some compatible servers send the object itself
    call.arguments = arguments;
  } else {
    const std::string text = arguments.is_string() ? arguments.get<std::string>() : "";
    json parsed = json::parse(text.empty() ? "{}" : text, nullptr, false);
    call.arguments = parsed.is_discarded() ? json(text) : std::move(parsed);
  }
  return call;
}

StopReason stop_reason(const std::string& finish_reason) {
  if (finish_reason == "stop") return StopReason::kEndTurn;
  if (finish_reason == "length") return StopReason::kMaxTokens;
  if (finish_reason == "tool_calls" || finish_reason == "function_call") {
    return StopReason::kToolUse;
  }
  if (finish_reason == "content_filter") return StopReason::kContentFilter;
  return StopReason::kOther;
}

Result<ChatResponse> parse_response(const json& body, const std::string& label) {
  const json& choices = wire::array_at(body, "choices");
  if (choices.empty()) {
    return Error(ErrorCode::kUnavailable, label + ": the answer has no choices");
  }
  const json& message = wire::member(choices[0], "message");
  ChatResponse response;
  response.text = wire::string_at(message, "content");
  for (const auto& call : wire::array_at(message, "tool_calls")) {
    response.tool_calls.push_back(tool_call(call));
  }
  response.stop_reason = stop_reason(wire::string_at(choices[0], "finish_reason"));
  // Ollama and others answer tool calls with finish_reason "stop".
  if (!response.tool_calls.empty()) response.stop_reason = StopReason::kToolUse;
  const json& usage = wire::member(body, "usage");
  response.usage = {wire::int_at(usage, "prompt_tokens"), wire::int_at(usage, "completion_tokens")};
  return response;
}

class OpenAiChat final : public LlmClient {
 public:
  explicit OpenAiChat(ProviderSetup setup) : setup_(std::move(setup)) {}

  Result<ChatResponse> chat(const ChatRequest& request) const override {
    ProviderCall call;
    call.label = call_label(setup_.model);
    call.url = setup_.endpoint.base_url + "/chat/completions";
    if (!setup_.endpoint.api_key.empty()) {
      call.headers["Authorization"] = "Bearer " + setup_.endpoint.api_key;
    }
    call.body = request_body(setup_.model.model, request);
    auto body = post_json(call, setup_.deps, request.deadline);
    if (!body.ok()) return body.error();
    return parse_response(*body, call.label);
  }

 private:
  ProviderSetup setup_;
};

}  // namespace

std::unique_ptr<LlmClient> make_openai_chat(ProviderSetup setup) {
  return std::make_unique<OpenAiChat>(std::move(setup));
}

}  // namespace aof::runtime::llm
