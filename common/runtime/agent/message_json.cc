#include "common/runtime/agent/message_json.h"

namespace aof::runtime::agent {
namespace {

using Json = nlohmann::json;

const char* role_name(llm::Role role) {
  switch (role) {
    case llm::Role::kUser:
      return "user";
    case llm::Role::kAssistant:
      return "assistant";
    case llm::Role::kTool:
      return "tool";
  }
  return "user";
}

std::optional<llm::Role> role_of(const Json& json) {
  const std::string role = json.is_string() ? json.get<std::string>() : "";
  if (role == "user") return llm::Role::kUser;
  if (role == "assistant") return llm::Role::kAssistant;
  if (role == "tool") return llm::Role::kTool;
  return std::nullopt;
}

Json call_to_json(const llm::ToolCall& call) {
  Json json = {{"id", call.id}, {"name", call.name}, {"arguments", call.arguments}};
  if (!call.provider_data.is_null()) json["provider_data"] = call.provider_data;
  return json;
}

}  // namespace

Json message_to_json(const llm::Message& message) {
  Json json = {{"role", role_name(message.role)}, {"text", message.text}};
  if (!message.tool_calls.empty()) {
    json["tool_calls"] = Json::array();
    for (const auto& call : message.tool_calls) json["tool_calls"].push_back(call_to_json(call));
  }
  if (!message.tool_call_id.empty()) json["tool_call_id"] = message.tool_call_id;
  if (!message.tool_name.empty()) json["tool_name"] = message.tool_name;
  if (message.is_error) json["is_error"] = true;
  return json;
}

Result<llm::Message> message_from_json(const Json& json) {
  if (!json.is_object()) return Error(ErrorCode::kInvalidArgument, "a message is not an object");
  const auto role = role_of(json.value("role", Json()));
  if (!role) return Error(ErrorCode::kInvalidArgument, "a message has no valid role");
  try {
    llm::Message message;
    message.role = *role;
    message.text = json.value("text", "");
    for (const auto& call : json.value("tool_calls", Json::array())) {
      message.tool_calls.push_back(
          {call.at("id").get<std::string>(), call.at("name").get<std::string>(),
           call.value("arguments", Json::object()), call.value("provider_data", Json())});
    }
    message.tool_call_id = json.value("tool_call_id", "");
    message.tool_name = json.value("tool_name", "");
    message.is_error = json.value("is_error", false);
    return message;
  } catch (const Json::exception& e) {
    return Error(ErrorCode::kInvalidArgument, std::string("a message is malformed: ") + e.what());
  }
}

}  // namespace aof::runtime::agent
