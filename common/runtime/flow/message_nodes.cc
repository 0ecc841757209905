#include "common/runtime/flow/message_nodes.h"

#include <iterator>

#include "common/runtime/flow/template.h"

namespace aof::runtime::flow {
namespace {

using Json = nlohmann::json;

Error cannot(const std::string& why) { return Error(ErrorCode::kInvalidArgument, why); }

}  // namespace

Result<Json> run_message_node(const NodeRun& run) {
  const auto& config = run.node.config;
  if (!run.options.send_message) return cannot("this executor sends no chat messages");
  ChatMessage message;
  message.platform = run.node.type == config::NodeType::kSlack ? "slack" : "discord";
  const std::pair<const std::string*, std::string*> fields[] = {
      {&config.channel, &message.channel},
      {&config.message, &message.text},
      {&config.thread_ts, &message.thread}};
  const char* names[] = {"channel", "message", "threadTs"};
  for (std::size_t i = 0; i < std::size(fields); ++i) {
    auto expanded = expand_template(*fields[i].first, run.state);
    if (!expanded.ok()) return expanded.error().with_context(names[i]);
    *fields[i].second = std::move(*expanded);
  }
  if (message.channel.empty()) return cannot("config.channel is empty");
  if (message.text.empty()) return cannot("config.message is empty");
  message.blocks = config.blocks;
  auto sent = run.options.send_message(message);
  if (!sent.ok()) return sent.error();
  const std::string channel = sent->value("channel", "");
  Json out = {{"platform", message.platform},
              {"channel", channel.empty() ? message.channel : channel},
              {"message", message.text},
              {"ts", sent->value("ts", "")},
              {"sent", true}};
  if (!message.thread.empty()) out["thread"] = message.thread;
  return out;
}

}  // namespace aof::runtime::flow
