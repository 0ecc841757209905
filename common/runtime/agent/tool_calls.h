#pragma once
// Running the tool calls of one model turn (reference/aof-formats.md §4.3): one call runs on
// the caller's thread, several concurrently (at most `max_parallel` threads at once). Every
// call gets an answer the model can read, so a turn never stalls on a bad call: an unknown
// tool name, arguments that are not a JSON object, or a tool that threw all become a failed
// ToolResult whose error the model sees (AOF sent null and the model could not see why).

#include <vector>

#include "common/runtime/llm/llm.h"
#include "common/runtime/tools/tool.h"

namespace aof::runtime::agent {

struct ToolCallOutcome {
  tools::ToolResult result;
  llm::Message message;  // the kTool message answering the call (to_model_text of result)
};

// One outcome per call, in the order of `calls`. Blocks until every call has returned; the
// tools themselves honour context.deadline and context.cancelled.
std::vector<ToolCallOutcome> run_tool_calls(const std::vector<llm::ToolCall>& calls,
                                            const tools::ToolSet& tools,
                                            const tools::ToolCallContext& context,
                                            int max_parallel = 10);

}  // namespace aof::runtime::agent
