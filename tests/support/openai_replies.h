#pragma once
// What the scripted model server (scripted_http_server.h) answers in OpenAI's chat
// completions format, for tests whose agents talk to "OpenAI" on loopback. Header-only.

#include <nlohmann/json.hpp>

#include <string>

namespace aof::testing {

// A turn in which the model calls one tool: `arguments` as the JSON text OpenAI sends.
inline std::string openai_tool_call(const std::string& id, const std::string& tool,
                                    const nlohmann::json& arguments) {
  using nlohmann::json;
  return json{{"id", "chatcmpl-1"},
              {"object", "chat.completion"},
              {"model", "gpt-4o-mini"},
              {"choices",
               {{{"index", 0},
                 {"finish_reason", "tool_calls"},
                 {"message",
                  {{"role", "assistant"},
                   {"content", nullptr},
                   {"tool_calls",
                    {{{"id", id},
                      {"type", "function"},
                      {"function", {{"name", tool}, {"arguments", arguments.dump()}}}}}}}}}}},
              {"usage", {{"prompt_tokens", 10}, {"completion_tokens", 5}, {"total_tokens", 15}}}}
      .dump();
}

// A final answer: the model stops with `text`.
inline std::string openai_answer(const std::string& text) {
  using nlohmann::json;
  return json{{"id", "chatcmpl-1"},
              {"object", "chat.completion"},
              {"model", "gpt-4o-mini"},
              {"choices",
               {{{"index", 0},
                 {"message", {{"role", "assistant"}, {"content", text}}},
                 {"finish_reason", "stop"}}}},
              {"usage", {{"prompt_tokens", 10}, {"completion_tokens", 5}, {"total_tokens", 15}}}}
      .dump();
}

}  // namespace aof::testing
