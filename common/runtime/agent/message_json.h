#pragma once
// llm::Message as JSON, for conversation memory (memory.h): what is stored in the broker
// state store and read back by another worker, maybe of another build. Unknown fields are
// ignored; a message that does not parse is an error, so a corrupt history is noticed.

#include <nlohmann/json.hpp>

#include "common/base/result.h"
#include "common/runtime/llm/llm.h"

namespace aof::runtime::agent {

// {"role": "user|assistant|tool", "text", "tool_calls"?: [{id, name, arguments,
// provider_data?}], "tool_call_id"?, "tool_name"?, "is_error"?}
nlohmann::json message_to_json(const llm::Message& message);
Result<llm::Message> message_from_json(const nlohmann::json& json);

}  // namespace aof::runtime::agent
