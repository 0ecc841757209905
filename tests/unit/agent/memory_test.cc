// Conversation memory's own rules: the key, pruning that never splits a tool-call turn from
// its results, bounds, and appends that race without losing turns.
#include "common/runtime/agent/memory.h"

#include <doctest/doctest.h>

#include <thread>

#include "common/queue/memory.h"

namespace aof::runtime::agent {
namespace {

using llm::Message;
using Messages = std::vector<Message>;

std::vector<std::string> texts(const Messages& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.text);
  return out;
}

// user, assistant asking for a tool, the tool result, the answer.
Messages exchange(const std::string& n) {
  const llm::ToolCall call{"id" + n, "shell", {{"command", "ls"}}, {}};
  return {Message::user("q" + n), Message::assistant("", {call}),
          Message::tool_result(call, "r" + n, false), Message::assistant("a" + n, {})};
}

TEST_CASE("the key is the conversation: thread, channel, tenant, platform and agent") {
  event::Envelope e;
  e.platform = "slack";
  e.tenant = "T0";
  e.channel_id = "C1";
  e.thread_id = "1700.1";
  const std::string key = conversation_key("helper", e);
  CHECK(key == "aof:conversation:6:helper5:slack2:T02:C16:1700.1");
  event::Envelope other_thread = e;
  other_thread.thread_id = "1700.2";
  CHECK(conversation_key("helper", other_thread) != key);
  CHECK(conversation_key("other", e) != key);
  event::Envelope no_channel;
  no_channel.platform = "cron";
  CHECK(conversation_key("helper", no_channel).empty());
}

TEST_CASE("GitHub: each issue or PR of a repository is its own conversation") {
  event::Envelope pr;
  pr.platform = "github";
  pr.tenant = "acme";
  pr.channel_id = "acme/api#12";
  pr.thread_id = "pr-12";
  event::Envelope issue = pr;
  issue.channel_id = "acme/api#13";
  issue.thread_id = "issue-13";
  CHECK(conversation_key("reviewer", pr) != conversation_key("reviewer", issue));
  CHECK(conversation_key("reviewer", pr) == conversation_key("reviewer", event::Envelope(pr)));
}

TEST_CASE("last_turns cuts forward to a user message: a tool result never loses its call") {
  Messages history = exchange("1");
  const Messages second = exchange("2");
  history.insert(history.end(), second.begin(), second.end());
  CHECK(texts(last_turns(history, 8)) ==
        std::vector<std::string>{"q1", "", "r1", "a1", "q2", "", "r2", "a2"});
  // The last 3 start at exchange 2's tool-call turn: the cut moves forward past the whole
  // partial exchange rather than back past the limit.
  CHECK(last_turns(history, 3).empty());
  CHECK(texts(last_turns(history, 5)) == std::vector<std::string>{"q2", "", "r2", "a2"});
}

TEST_CASE("restore gives back what append stored, tool calls included") {
  FakeClock clock;
  ConversationMemory memory(queue::make_memory_state(clock));
  REQUIRE(memory.append("k", exchange("1")).ok());
  auto restored = memory.restore("k", 10);
  REQUIRE(restored.ok());
  REQUIRE(restored->size() == 4);
  CHECK((*restored)[1].tool_calls.at(0).arguments == nlohmann::json{{"command", "ls"}});
  CHECK((*restored)[2].tool_call_id == "id1");
  CHECK((*restored)[2].tool_name == "shell");
  CHECK(memory.restore("absent", 10)->empty());
}

TEST_CASE("stored conversations stay within max_messages, whole exchanges dropped") {
  FakeClock clock;
  MemoryOptions options;
  options.max_messages = 6;
  ConversationMemory memory(queue::make_memory_state(clock), options);
  for (const char* n : {"1", "2", "3"}) REQUIRE(memory.append("k", exchange(n)).ok());
  CHECK(texts(*memory.restore("k", 100)) == std::vector<std::string>{"q3", "", "r3", "a3"});
}

TEST_CASE("the TTL forgets an idle conversation") {
  FakeClock clock;
  MemoryOptions options;
  options.ttl = Millis(1000);
  ConversationMemory memory(queue::make_memory_state(clock), options);
  REQUIRE(memory.append("k", exchange("1")).ok());
  clock.advance(Millis(1001));
  CHECK(memory.restore("k", 100)->empty());
}

TEST_CASE("appends racing on one conversation lose no turns (compare-and-set, retried)") {
  FakeClock clock;
  MemoryOptions options;
  options.max_cas_attempts = 1000;
  ConversationMemory memory(queue::make_memory_state(clock), options);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const auto n = std::to_string(t) + "-" + std::to_string(i);
        CHECK(memory.append("k", {Message::user("q" + n), Message::assistant("a" + n, {})}).ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(memory.restore("k", 1000)->size() == 80);
}

}  // namespace
}  // namespace aof::runtime::agent
