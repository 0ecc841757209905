// Conversation memory through the executor: two events on one Slack thread make one
// conversation (the second model request carries the first's turns), another thread does
// not see them; on the memory and the Redis state stores.
#include <doctest/doctest.h>

#include "common/queue/factory.h"
#include "common/queue/memory.h"
#include "common/runtime/executor.h"
#include "sidecar/httplib_client.h"
#include "tests/support/fake_env.h"
#include "tests/support/redis_server.h"
#include "tests/support/scripted_http_server.h"

namespace aof::runtime {
namespace {

using nlohmann::json;

std::string final_turn(const std::string& text) {
  return json{
      {"choices",
       {{{"finish_reason", "stop"}, {"message", {{"role", "assistant"}, {"content", text}}}}}},
      {"usage", {{"prompt_tokens", 1}, {"completion_tokens", 1}}}}
      .dump();
}

event::Envelope slack_event(const std::string& id, const std::string& thread,
                            const std::string& text) {
  event::Envelope e;
  e.id = id;
  e.platform = "slack";
  e.tenant = "T0";
  e.channel_id = "C1";
  e.thread_id = thread;
  e.target = {event::TargetKind::kAgent, "helper"};
  e.text = text;
  return e;
}

// The messages (role, content) of the model request number `n`.
std::vector<std::pair<std::string, std::string>> messages_of(
    const aof::testing::ScriptedHttpServer& server, std::size_t n) {
  const auto requests = server.requests();
  REQUIRE(requests.size() > n);
  std::vector<std::pair<std::string, std::string>> out;
  const json body = json::parse(requests[n].body);
  for (const auto& m : body["messages"]) {
    out.emplace_back(m["role"].get<std::string>(), m["content"].is_string()
                                                       ? m["content"].get<std::string>()
                                                       : m["content"].dump());
  }
  return out;
}

FakeClock& executor_clock() {
  static FakeClock clock;
  return clock;
}

// An executor with one agent, "helper", reaching `server` as OpenAI, remembering in `state`.
Executor make_executor(const aof::testing::ScriptedHttpServer& server,
                       std::shared_ptr<queue::StateStore> state) {
  auto resources = std::make_shared<config::ResourceSet>();
  config::Agent agent;
  agent.name = "helper";
  agent.model = "openai:gpt-4o-mini";
  agent.instructions = "Be brief.";
  resources->agents["helper"] = agent;
  config::RuntimeConfig runtime;
  runtime.llm_base_urls["openai"] = server.base_url() + "/v1";
  ExecutorDeps deps;
  deps.http = std::make_shared<const sidecar::HttplibClient>();
  deps.env = aof::testing::fake_env({{"OPENAI_API_KEY", "sk-test"}});
  deps.state = std::move(state);
  return Executor(resources, runtime, executor_clock(), deps);
}

void two_threads(std::shared_ptr<queue::StateStore> state) {
  aof::testing::ScriptedHttpServer server;
  server.reply_json(final_turn("answer one"));
  server.reply_json(final_turn("answer two"));
  server.reply_json(final_turn("answer three"));
  const Executor executor = make_executor(server, std::move(state));
  bool permanent = false;
  const ExecutionContext context{"w1", nullptr};
  REQUIRE(
      executor.execute(slack_event("E1", "1700.1", "is main green?"), context, &permanent).ok());
  REQUIRE(executor.execute(slack_event("E2", "1700.1", "and release?"), context, &permanent).ok());
  REQUIRE(
      executor.execute(slack_event("E3", "1800.9", "hello there team"), context, &permanent).ok());
  using M = std::vector<std::pair<std::string, std::string>>;
  CHECK(messages_of(server, 0) == M{{"system", "Be brief."}, {"user", "is main green?"}});
  CHECK(messages_of(server, 1) == M{{"system", "Be brief."},
                                    {"user", "is main green?"},
                                    {"assistant", "answer one"},
                                    {"user", "and release?"}});
  CHECK(messages_of(server, 2) == M{{"system", "Be brief."}, {"user", "hello there team"}});
}

TEST_CASE("memory: an unreadable stored conversation is replaced, not a dead letter") {
  FakeClock clock;
  auto state = queue::make_memory_state(clock);
  event::Envelope e = slack_event("E1", "1700.1", "is main green?");
  REQUIRE(state->put(agent::conversation_key("helper", e), "not json", Millis(0)).ok());
  aof::testing::ScriptedHttpServer server;
  server.reply_json(final_turn("answer one"));
  const Executor executor = make_executor(server, state);
  bool permanent = false;
  REQUIRE(executor.execute(e, ExecutionContext{"w1", nullptr}, &permanent).ok());
  auto stored = agent::ConversationMemory(state).restore(agent::conversation_key("helper", e), 10);
  REQUIRE(stored.ok());
  CHECK(stored->size() == 2);
}

TEST_CASE("memory: the same Slack thread continues; another thread starts afresh (memory store)") {
  FakeClock clock;
  two_threads(queue::make_memory_state(clock));
}

TEST_CASE("memory: the same Slack thread continues; another thread starts afresh (Redis)") {
  aof::testing::RedisServer redis;
  config::QueueConfig config;
  config.type = config::QueueType::kRedis;
  config.url = redis.url();
  auto broker = queue::open_broker(config, SystemClock::instance());
  REQUIRE_MESSAGE(broker.ok(), (broker.ok() ? "" : broker.error().message()));
  two_threads(broker->state);
}

}  // namespace
}  // namespace aof::runtime
