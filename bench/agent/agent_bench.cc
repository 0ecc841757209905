// aof-bench-agent: what MCP and conversation memory add to an agent run (bench/README.md).
//   aof-bench-agent MCP_SERVER_PROGRAM [REDIS_URL]
// MCP: tools/call round trips to a stdio server, one at a time and 8 threads at once.
// Memory: append + restore of one 4-message exchange, on the memory state store and, with
// REDIS_URL, on Redis. Prints one line per measurement: name, operations, µs per operation.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "common/queue/factory.h"
#include "common/queue/memory.h"
#include "common/runtime/agent/memory.h"
#include "common/runtime/mcp/client.h"

namespace {

using namespace aof;
using Steady = std::chrono::steady_clock;

template <typename Body>
void measure(const char* name, int operations, Body body) {
  const auto start = Steady::now();
  body();
  const double us =
      std::chrono::duration<double, std::micro>(Steady::now() - start).count() / operations;
  std::printf("%-40s %8d ops %10.1f us/op\n", name, operations, us);
}

int bench_mcp(const std::string& program) {
  runtime::mcp::ServerConfig config;
  config.name = "bench";
  config.argv = {program};
  auto client = runtime::mcp::McpClient::start(config, nullptr);
  if (!client.ok()) {
    std::fprintf(stderr, "%s\n", client.error().message().c_str());
    return 1;
  }
  const auto& mcp = **client;
  const nlohmann::json args = {{"a", 1}, {"b", 2}};
  constexpr int kCalls = 5000;
  measure("mcp stdio tools/call, sequential", kCalls, [&] {
    for (int i = 0; i < kCalls; ++i) (void)mcp.call_tool("add", args, TimePoint::max(), nullptr);
  });
  measure("mcp stdio tools/call, 8 threads", kCalls, [&] {
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < kCalls / 8; ++i) {
          (void)mcp.call_tool("add", args, TimePoint::max(), nullptr);
        }
      });
    }
    for (auto& thread : threads) thread.join();
  });
  return 0;
}

void bench_memory(const char* name, std::shared_ptr<queue::StateStore> state) {
  runtime::agent::ConversationMemory memory(state);
  const runtime::llm::ToolCall call{"id", "shell", {{"command", "kubectl get pods"}}, {}};
  const std::vector<runtime::llm::Message> exchange = {
      runtime::llm::Message::user("is the deployment healthy?"),
      runtime::llm::Message::assistant("", {call}),
      runtime::llm::Message::tool_result(call, std::string(2000, 'x'), false),
      runtime::llm::Message::assistant("All 3 pods are running.", {})};
  constexpr int kRuns = 1000;
  measure(name, kRuns, [&] {
    for (int i = 0; i < kRuns; ++i) {
      const std::string key =
          "bench:" + std::to_string(i % 50);  // 50 conversations, 20 exchanges each
      (void)memory.restore(key, 10);
      (void)memory.append(key, exchange);
    }
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: aof-bench-agent MCP_SERVER_PROGRAM [REDIS_URL]\n");
    return 2;
  }
  if (int failed = bench_mcp(argv[1]); failed != 0) return failed;
  aof::SystemClock& clock = aof::SystemClock::instance();
  bench_memory("memory restore+append, memory store", queue::make_memory_state(clock));
  if (argc > 2) {
    config::QueueConfig config;
    config.type = config::QueueType::kRedis;
    config.url = argv[2];
    auto broker = queue::open_broker(config, clock);
    if (!broker.ok()) {
      std::fprintf(stderr, "%s\n", broker.error().message().c_str());
      return 1;
    }
    bench_memory("memory restore+append, redis", broker->state);
  }
  return 0;
}
