#pragma once
// Running the tool calls of one model turn (reference/aof-formats.md §4.3): one call runs on
// the caller's thread, several concurrently (at most `max_parallel` threads at once). Every
// call gets an answer the model can read, so a turn never stalls on a bad call: an unknown
// tool name, arguments that are not a JSON object, or a tool that threw all become a failed
// ToolResult whose error the model sees (AOF sent null and the model could not see why).
// With a journal, calls with an outside effect are made at most once per event generation
// (tool_journal.h).

#include <string>
#include <vector>

#include "common/base/result.h"
#include "common/runtime/agent/tool_journal.h"
#include "common/runtime/llm/llm.h"
#include "common/runtime/tools/tool.h"

namespace aof::runtime::agent {

struct ToolCallOutcome {
  tools::ToolResult result;
  llm::Message message;  // the kTool message answering the call (to_model_text of result)
};

// Effect-once for the calls of one agent run.
struct CallJournal {
  ToolJournal* journal = nullptr;  // null = calls are not journaled
  std::string agent;               // the agent's name, part of every key
};

// One outcome per call, in the order of `calls`. Blocks until every call has returned; the
// tools themselves honour context.deadline and context.cancelled. Keys are taken in the
// order of `calls`, before any runs.
// Errors: the journal's (retryable), when an entry could not be read or claimed: that call
// was not made; the turn's other calls ran (and are recorded), so a retry reuses them.
Result<std::vector<ToolCallOutcome>> run_tool_calls(const std::vector<llm::ToolCall>& calls,
                                                    const tools::ToolSet& tools,
                                                    const tools::ToolCallContext& context,
                                                    int max_parallel = 10,
                                                    const CallJournal& journal = {});

}  // namespace aof::runtime::agent
