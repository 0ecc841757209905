#include "common/runtime/agent/memory.h"

#include "common/runtime/agent/message_json.h"

namespace aof::runtime::agent {
namespace {

using Json = nlohmann::json;
using Messages = std::vector<llm::Message>;

constexpr int kFormatVersion = 1;

// The first index at or after `from` where a user message starts an exchange.
std::size_t next_user(const Messages& messages, std::size_t from) {
  while (from < messages.size() && messages[from].role != llm::Role::kUser) ++from;
  return from;
}

Result<Messages> parse_stored(const std::string& value) {
  const Json stored = Json::parse(value, nullptr, false);
  if (!stored.is_object() || !stored.contains("messages") || !stored["messages"].is_array()) {
    return Error(ErrorCode::kInvalidArgument, "stored conversation is not {\"messages\": [...]}");
  }
  Messages messages;
  for (const auto& item : stored["messages"]) {
    auto message = message_from_json(item);
    if (!message.ok()) return message.error().with_context("stored conversation");
    messages.push_back(std::move(*message));
  }
  return messages;
}

std::string serialize(const Messages& messages) {
  Json stored = {{"v", kFormatVersion}, {"messages", Json::array()}};
  for (const auto& message : messages) stored["messages"].push_back(message_to_json(message));
  return stored.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// `messages` within the bounds, whole oldest exchanges dropped first. A single exchange
// over max_bytes is dropped too: better no memory than a value the store refuses.
std::string bounded(Messages messages, const MemoryOptions& options) {
  std::size_t start = 0;
  if (messages.size() > options.max_messages) {
    start = next_user(messages, messages.size() - options.max_messages);
  }
  messages.erase(messages.begin(), messages.begin() + static_cast<std::ptrdiff_t>(start));
  std::string value = serialize(messages);
  while (value.size() > options.max_bytes && !messages.empty()) {
    const std::size_t cut = next_user(messages, 1);
    messages.erase(messages.begin(), messages.begin() + static_cast<std::ptrdiff_t>(cut));
    value = serialize(messages);
  }
  return value;
}

std::string part(const std::string& text) { return std::to_string(text.size()) + ":" + text; }

}  // namespace

std::string conversation_key(const std::string& agent, const event::Envelope& envelope) {
  if (envelope.channel_id.empty()) return "";
  // Length-prefixed parts: "a:b" + "c" never collides with "a" + "b:c".
  return "aof:conversation:" + part(agent) + part(envelope.platform) + part(envelope.tenant) +
         part(envelope.channel_id) + part(envelope.thread_id);
}

Messages last_turns(const Messages& history, std::size_t max) {
  const std::size_t from = history.size() > max ? history.size() - max : 0;
  const std::size_t start = next_user(history, from);
  return Messages(history.begin() + static_cast<std::ptrdiff_t>(start), history.end());
}

ConversationMemory::ConversationMemory(std::shared_ptr<queue::StateStore> store,
                                       MemoryOptions options)
    : store_(std::move(store)), options_(options) {}

Result<Messages> ConversationMemory::restore(const std::string& key,
                                             std::size_t max_messages) const {
  auto value = store_->get(key);
  if (!value.ok()) return value.error().with_context("restoring the conversation");
  if (!*value) return Messages{};
  auto messages = parse_stored(**value);
  if (!messages.ok()) return messages.error();
  return last_turns(*messages, max_messages);
}

Status ConversationMemory::append(const std::string& key, const Messages& turns) const {
  for (int attempt = 0; attempt < options_.max_cas_attempts; ++attempt) {
    auto current = store_->get(key);
    if (!current.ok()) return current.error().with_context("saving the conversation");
    Messages messages;
    if (*current) {
      auto parsed = parse_stored(**current);
      if (parsed.ok()) messages = std::move(*parsed);  // a corrupt history is replaced
    }
    messages.insert(messages.end(), turns.begin(), turns.end());
    auto set = store_->compare_and_set(key, *current, bounded(std::move(messages), options_),
                                       options_.ttl);
    if (!set.ok()) return set.error().with_context("saving the conversation");
    if (*set) return ok_status();
  }
  return Error(ErrorCode::kUnavailable, "saving the conversation: lost " +
                                            std::to_string(options_.max_cas_attempts) +
                                            " compare-and-set races in a row");
}

}  // namespace aof::runtime::agent
