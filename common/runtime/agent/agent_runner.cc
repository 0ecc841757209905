#include "common/runtime/agent/agent_runner.h"

#include <spdlog/spdlog.h>

#include "common/base/log.h"
#include "common/runtime/agent/input.h"
#include "common/runtime/agent/scratch_dir.h"
#include "common/runtime/agent/tool_loop.h"

namespace aof::runtime::agent {
namespace {

ToolLoopOptions loop_options(const config::Agent& agent, const AgentRun& run,
                             const llm::LlmDeps& llm) {
  ToolLoopOptions options;
  options.system_prompt = agent.instructions;
  options.max_iterations = agent.max_iterations;
  options.temperature = agent.temperature;
  options.max_tokens = agent.max_tokens;
  options.deadline = run.deadline;
  options.cancelled = run.cancelled;
  options.clock = llm.clock;
  options.event_id = run.event_id;
  options.journal = {run.tool_journal, agent.name};
  options.tool_env = run.tool_env;
  options.tool_working_dir = run.tool_working_dir;
  return options;
}

void save(const ConversationMemory& memory, const AgentRun& run,
          const std::vector<llm::Message>& turns) {
  if (auto saved = memory.append(run.conversation_key, turns); !saved.ok()) {
    log::get(log::Component::kRuntime)
        ->warn("event_id={} the conversation was not saved: {}", run.event_id,
               saved.error().message());
  }
}

nlohmann::json canned(std::string reply) {
  ToolLoopResult result;
  result.output = std::move(reply);
  return result.to_json();
}

Result<nlohmann::json> run_loop(const config::Agent& agent, const tools::ToolSet& tools,
                                const AgentRun& run, const llm::LlmDeps& llm,
                                const std::string& input) {
  auto model = llm::parse_model(agent.model, agent.provider);
  if (!model.ok()) return model.error();
  auto client = llm::make_llm_client(*model, llm);
  if (!client.ok()) return client.error();
  ToolLoopOptions options = loop_options(agent, run, llm);
  std::optional<ScratchDir> scratch;  // only tools use it
  if (!tools.empty()) {
    auto made = ScratchDir::create();
    if (!made.ok()) return made.error();
    scratch.emplace(std::move(*made));
    options.run_dir = scratch->path();
  }
  const bool remembers =
      run.memory != nullptr && !run.conversation_key.empty() && agent.max_context_messages > 0;
  if (remembers) {
    auto history = run.memory->restore(run.conversation_key,
                                       static_cast<std::size_t>(agent.max_context_messages));
    if (history.ok()) {
      options.history = std::move(*history);
    } else if (is_retryable(history.error().code())) {
      return history.error();
    } else {  // corrupt: retrying cannot fix it; the next save replaces it
      log::get(log::Component::kRuntime)
          ->warn("event_id={} the stored conversation is unreadable, starting afresh: {}",
                 run.event_id, history.error().message());
    }
  }
  auto result = run_tool_loop(**client, tools, input, options);
  if (!result.ok()) return result.error();
  if (remembers) save(*run.memory, run, result->transcript);
  log::get(log::Component::kRuntime)
      ->info("event_id={} agent {} answered after {} iterations, {} tool calls, {}+{} tokens",
             run.event_id, agent.name, result->iterations, result->tool_calls.size(),
             result->usage.input_tokens, result->usage.output_tokens);
  return result->to_json();
}

}  // namespace

Result<nlohmann::json> run_agent(const config::Agent& agent, const tools::ToolSet& tools,
                                 const AgentRun& run, const llm::LlmDeps& llm) {
  const std::string input = clean_input(run.text);
  if (auto reply = canned_reply(input, agent.name)) return canned(std::move(*reply));
  auto result = run_loop(agent, tools, run, llm, input);
  if (!result.ok()) return result.error().with_context("agent \"" + agent.name + "\"");
  return result;
}

}  // namespace aof::runtime::agent
