// Google Gemini generateContent (reference §4.2), with AOF's bug fixed: each functionResponse
// is named after the call it answers (AOF named every one after the first call of the turn).
// The key travels in the x-goog-api-key header rather than AOF's ?key= query, so no URL
// ever holds it. A call's id and thoughtSignature, when Gemini gives them, go back with it.
#include <map>

#include "common/runtime/llm/http_call.h"
#include "common/runtime/llm/providers.h"
#include "common/runtime/llm/wire_json.h"

namespace aof::runtime::llm {
namespace {

using nlohmann::json;

json function_call_part(const ToolCall& call) {
  json function = {{"name", call.name},
                   {"args", call.arguments.is_object() ? call.arguments : json::object()}};
  const json& id = wire::member(call.provider_data, "id");
  if (id.is_string()) function["id"] = id;
  json part = {{"functionCall", std::move(function)}};
  const json& signature = wire::member(call.provider_data, "thoughtSignature");
  if (signature.is_string()) part["thoughtSignature"] = signature;
  return part;
}

// Gemini wants an object: the tool's JSON object as is, anything else under "result".
json response_object(const std::string& content) {
  json parsed = json::parse(content, nullptr, false);
  if (parsed.is_object()) return parsed;
  return {{"result", parsed.is_discarded() ? json(content) : std::move(parsed)}};
}

json function_response_part(const Message& m, const std::map<std::string, ToolCall>& calls) {
  const auto call = calls.find(m.tool_call_id);
  json function = {{"name", call != calls.end() ? call->second.name : m.tool_name},
                   {"response", response_object(m.text)}};
  if (call != calls.end()) {
    const json& id = wire::member(call->second.provider_data, "id");
    if (id.is_string()) function["id"] = id;
  }
  return {{"functionResponse", std::move(function)}};
}

json contents(const std::vector<Message>& conversation) {
  json out = json::array();
  std::map<std::string, ToolCall> calls;  // of the latest model turn, by id
  for (const auto& m : conversation) {
    json parts = json::array();
    if (m.role == Role::kAssistant) {
      calls.clear();
      if (!m.text.empty() || m.tool_calls.empty()) parts.push_back({{"text", m.text}});
      for (const auto& call : m.tool_calls) {
        parts.push_back(function_call_part(call));
        calls[call.id] = call;
      }
    } else if (m.role == Role::kTool) {
      parts.push_back(function_response_part(m, calls));
    } else {
      parts.push_back({{"text", m.text}});
    }
    const char* role = m.role == Role::kAssistant ? "model" : "user";
    if (!out.empty() && out.back()["role"] == role) {
      for (auto& part : parts) out.back()["parts"].push_back(std::move(part));
    } else {
      out.push_back({{"role", role}, {"parts", std::move(parts)}});
    }
  }
  return out;
}

json function_declarations(const std::vector<ToolSpec>& tools) {
  json declarations = json::array();
  for (const auto& tool : tools) {
    json declaration = {{"name", tool.name}, {"description", tool.description}};
    // Gemini refuses an empty schema; a tool without parameters declares none.
    if (!tool.parameters.empty()) declaration["parameters"] = tool.parameters;
    declarations.push_back(std::move(declaration));
  }
  return declarations;
}

json request_body(const ChatRequest& request) {
  json body = {{"contents", contents(request.messages)}};
  if (!request.system.empty()) {
    body["system_instruction"] = {{"parts", json::array({{{"text", request.system}}})}};
  }
  if (!request.tools.empty()) {
    body["tools"] =
        json::array({{{"function_declarations", function_declarations(request.tools)}}});
  }
  json generation = json::object();
  if (request.temperature) generation["temperature"] = *request.temperature;
  if (request.max_tokens) generation["max_output_tokens"] = *request.max_tokens;
  if (!generation.empty()) body["generation_config"] = std::move(generation);
  return body;
}

StopReason stop_reason(const std::string& reason) {
  if (reason == "STOP") return StopReason::kEndTurn;
  if (reason == "MAX_TOKENS") return StopReason::kMaxTokens;
  if (reason == "SAFETY" || reason == "RECITATION" || reason == "BLOCKLIST" ||
      reason == "PROHIBITED_CONTENT" || reason == "SPII") {
    return StopReason::kContentFilter;
  }
  return StopReason::kOther;
}

ToolCall tool_call(const json& part, std::size_t index) {
  const json& function = wire::member(part, "functionCall");
  const json& args = wire::member(function, "args");
  ToolCall call{wire::string_at(function, "id"), wire::string_at(function, "name"),
                args.is_object() ? args : json::object(), json::object()};
  if (call.id.empty()) {
    call.id = "call_" + std::to_string(index);
  } else {
    call.provider_data["id"] = call.id;
  }
  const json& signature = wire::member(part, "thoughtSignature");
  if (signature.is_string()) call.provider_data["thoughtSignature"] = signature;
  return call;
}

Result<ChatResponse> parse_response(const json& body, const std::string& label) {
  const json& candidates = wire::array_at(body, "candidates");
  if (candidates.empty()) {
    const std::string blocked =
        wire::string_at(wire::member(body, "promptFeedback"), "blockReason");
    if (!blocked.empty()) {
      return Error(ErrorCode::kInvalidArgument,
                   label + ": the prompt was blocked (" + blocked + ")");
    }
    return Error(ErrorCode::kUnavailable, label + ": the answer has no candidates");
  }
  ChatResponse response;
  const json& parts = wire::array_at(wire::member(candidates[0], "content"), "parts");
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (wire::member(parts[i], "thought") == true) continue;  // a thought summary, not the answer
    if (wire::member(parts[i], "functionCall").is_object()) {
      response.tool_calls.push_back(tool_call(parts[i], i));
    } else {
      response.text += wire::string_at(parts[i], "text");
    }
  }
  response.stop_reason = stop_reason(wire::string_at(candidates[0], "finishReason"));
  if (!response.tool_calls.empty()) response.stop_reason = StopReason::kToolUse;
  const json& usage = wire::member(body, "usageMetadata");
  response.usage = {wire::int_at(usage, "promptTokenCount"),
                    wire::int_at(usage, "candidatesTokenCount")};
  return response;
}

class GeminiGenerate final : public LlmClient {
 public:
  explicit GeminiGenerate(ProviderSetup setup) : setup_(std::move(setup)) {}

  Result<ChatResponse> chat(const ChatRequest& request) const override {
    ProviderCall call;
    call.label = call_label(setup_.model);
    call.url = setup_.endpoint.base_url + "/models/" + setup_.model.model + ":generateContent";
    call.headers = {{"x-goog-api-key", setup_.endpoint.api_key}};
    call.body = request_body(request);
    auto body = post_json(call, setup_.deps, request.deadline);
    if (!body.ok()) return body.error();
    return parse_response(*body, call.label);
  }

 private:
  ProviderSetup setup_;
};

}  // namespace

std::unique_ptr<LlmClient> make_gemini_generate(ProviderSetup setup) {
  return std::make_unique<GeminiGenerate>(std::move(setup));
}

}  // namespace aof::runtime::llm
