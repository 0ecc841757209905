#pragma once
// Conversation memory (reference §4.6, done per conversation rather than per agent): the
// turns of one conversation kept in the broker's state store (queue/state.h), so a reply in
// a Slack thread or a new comment on a PR continues where the last event left off, on
// whichever worker takes it. AOF kept one history per agent name and replayed it into every
// unrelated webhook; here the key is the conversation (conversation_key), so unrelated
// events never see each other's turns.
//
// Stored value: {"v": 1, "messages": [message_json.h]}, oldest first, bounded to
// MemoryOptions::max_messages and max_bytes by dropping whole oldest exchanges (never a
// tool result without its call), with a TTL (7 days by default) refreshed by every append.
// Appends are compare-and-set, retried: two workers continuing one thread at once both keep
// their turns (in the order they finished). Thread-safe as the store is.

#include <memory>
#include <string>
#include <vector>

#include "common/base/clock.h"
#include "common/base/result.h"
#include "common/event/envelope.h"
#include "common/queue/state.h"
#include "common/runtime/llm/llm.h"

namespace aof::runtime::agent {

struct MemoryOptions {
  Millis ttl = std::chrono::hours(24 * 7);  // a conversation idle this long is forgotten
  std::size_t max_messages = 200;           // stored per conversation (restore takes fewer)
  std::size_t max_bytes = 256u << 10;       // stored JSON per conversation
  int max_cas_attempts = 16;                // appends racing on one conversation
};

// The key of the conversation `envelope` belongs to for `agent`: agent, platform, tenant,
// channel_id and thread_id (the Slack thread; GitHub/GitLab "pr-N"/"issue-N" with the repo
// in channel_id; the Jira issue key). "" when the event has no channel (a cron tick, a
// generic webhook): such runs have no memory.
std::string conversation_key(const std::string& agent, const event::Envelope& envelope);

// The last `max` messages of `history`, the cut moved forward to a user message so the
// slice starts a conversation the providers accept and no tool result is cut from its call.
std::vector<llm::Message> last_turns(const std::vector<llm::Message>& history, std::size_t max);

class ConversationMemory {
 public:
  explicit ConversationMemory(std::shared_ptr<queue::StateStore> store, MemoryOptions options = {});

  // The stored conversation under `key`, pruned by last_turns to `max_messages`; empty when
  // there is none. Errors: the store's (retryable), kInvalidArgument for a stored value
  // that does not parse.
  Result<std::vector<llm::Message>> restore(const std::string& key, std::size_t max_messages) const;

  // Appends `turns` (this run's user input, assistant turns and tool results) under `key`.
  // Errors: the store's; kUnavailable when max_cas_attempts races were all lost.
  Status append(const std::string& key, const std::vector<llm::Message>& turns) const;

 private:
  std::shared_ptr<queue::StateStore> store_;
  MemoryOptions options_;
};

}  // namespace aof::runtime::agent
