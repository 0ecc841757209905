// Anthropic Messages (reference §4.2), with AOF's follow-up bug fixed: the assistant turn
// that asked for tools goes back with its tool_use blocks, and the results follow in one
// user turn of tool_result blocks, each naming its tool_use_id. Roles must alternate, so
// consecutive messages of one role (tool results, then a user's text) share a turn.
#include "common/runtime/llm/http_call.h"
#include "common/runtime/llm/providers.h"
#include "common/runtime/llm/wire_json.h"

namespace aof::runtime::llm {
namespace {

using nlohmann::json;

constexpr int kDefaultMaxTokens = 4096;  // AOF's, when the agent sets none (the API needs one)

json text_block(const std::string& text) { return {{"type", "text"}, {"text", text}}; }

json content_blocks(const Message& m) {
  json blocks = json::array();
  switch (m.role) {
    case Role::kUser:
      blocks.push_back(text_block(m.text));
      break;
    case Role::kAssistant:
      if (!m.text.empty()) blocks.push_back(text_block(m.text));
      for (const auto& call : m.tool_calls) {
        blocks.push_back({{"type", "tool_use"},
                          {"id", call.id},
                          {"name", call.name},
                          {"input", call.arguments.is_object() ? call.arguments : json::object()}});
      }
      break;
    case Role::kTool: {
      json block = {{"type", "tool_result"}, {"tool_use_id", m.tool_call_id}, {"content", m.text}};
      if (m.is_error) block["is_error"] = true;
      blocks.push_back(std::move(block));
      break;
    }
  }
  return blocks;
}

json messages(const std::vector<Message>& conversation) {
  json out = json::array();
  for (const auto& m : conversation) {
    const char* role = m.role == Role::kAssistant ? "assistant" : "user";
    json blocks = content_blocks(m);
    if (!out.empty() && out.back()["role"] == role) {
      for (auto& block : blocks) out.back()["content"].push_back(std::move(block));
    } else {
      out.push_back({{"role", role}, {"content", std::move(blocks)}});
    }
  }
  return out;
}

json request_body(const std::string& model, const ChatRequest& request) {
  json body = {{"model", model},
               {"max_tokens", request.max_tokens.value_or(kDefaultMaxTokens)},
               {"messages", messages(request.messages)}};
  if (!request.system.empty()) body["system"] = request.system;
  if (request.temperature) body["temperature"] = *request.temperature;
  if (!request.tools.empty()) {
    body["tools"] = json::array();
    for (const auto& tool : request.tools) {
      body["tools"].push_back({{"name", tool.name},
                               {"description", tool.description},
                               {"input_schema", tool.parameters}});
    }
  }
  return body;
}

StopReason stop_reason(const std::string& reason) {
  if (reason == "end_turn") return StopReason::kEndTurn;
  if (reason == "tool_use") return StopReason::kToolUse;
  if (reason == "max_tokens") return StopReason::kMaxTokens;
  if (reason == "stop_sequence") return StopReason::kStopSequence;
  if (reason == "refusal") return StopReason::kContentFilter;
  return StopReason::kOther;
}

ChatResponse parse_response(const json& body) {
  ChatResponse response;
  for (const auto& block : wire::array_at(body, "content")) {
    const std::string type = wire::string_at(block, "type");
    if (type == "text") {
      response.text += wire::string_at(block, "text");
    } else if (type == "tool_use") {
      const json& input = wire::member(block, "input");
      response.tool_calls.push_back({wire::string_at(block, "id"), wire::string_at(block, "name"),
                                     input.is_object() ? input : json::object(), nullptr});
    }
  }
  response.stop_reason = stop_reason(wire::string_at(body, "stop_reason"));
  if (!response.tool_calls.empty()) response.stop_reason = StopReason::kToolUse;
  const json& usage = wire::member(body, "usage");
  response.usage = {wire::int_at(usage, "input_tokens"), wire::int_at(usage, "output_tokens")};
  return response;
}

class AnthropicMessages final : public LlmClient {
 public:
  explicit AnthropicMessages(ProviderSetup setup) : setup_(std::move(setup)) {}

  Result<ChatResponse> chat(const ChatRequest& request) const override {
    ProviderCall call;
    call.label = call_label(setup_.model);
    call.url = setup_.endpoint.base_url + "/v1/messages";
    call.headers = {{"x-api-key", setup_.endpoint.api_key}, {"anthropic-version", "2023-06-01"}};
    call.body = request_body(setup_.model.model, request);
    auto body = post_json(call, setup_.deps, request.deadline);
    if (!body.ok()) return body.error();
    return parse_response(*body);
  }

 private:
  ProviderSetup setup_;
};

}  // namespace

std::unique_ptr<LlmClient> make_anthropic_messages(ProviderSetup setup) {
  return std::make_unique<AnthropicMessages>(std::move(setup));
}

}  // namespace aof::runtime::llm
