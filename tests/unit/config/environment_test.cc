#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "common/config/loader.h"
#include "tests/support/fake_env.h"
#include "tests/unit/config/test_util.h"

namespace aof::config {
namespace {}  // namespace

TEST_CASE("AOF_* variables override the file") {
  DaemonConfig config;
  config.agents.directory = "./from-file";
  const auto diagnostics = apply_environment(
      config, testing::fake_env({{"AOF_MODE", "gateway"},
                                 {"AOF_HOST", "127.0.0.1"},
                                 {"AOF_PORT", "9090"},
                                 {"AOF_QUEUE_TYPE", "redis"},
                                 {"AOF_QUEUE_URL", "rediss://user:pw@redis:6380/0"},
                                 {"AOF_AGENTS_DIR", "/srv/agents"},
                                 {"AOF_FLOWS_DIR", "/srv/flows"},
                                 {"AOF_TRIGGERS_DIR", "/srv/triggers"},
                                 {"AOF_WORKER_CONCURRENCY", "32"}}));
  CHECK(diagnostics.empty());
  CHECK(config.mode == Mode::kGateway);
  CHECK(config.server.host == "127.0.0.1");
  CHECK(config.server.port == 9090);
  CHECK(config.queue.type == QueueType::kRedis);
  CHECK(config.queue.url == "rediss://user:pw@redis:6380/0");
  CHECK(config.agents.directory == "/srv/agents");
  CHECK(config.flows.directory == "/srv/flows");
  CHECK(config.triggers.directory == "/srv/triggers");
  CHECK(config.worker.concurrency == 32);
}

TEST_CASE("unset and empty variables leave the file's values") {
  DaemonConfig config;
  config.server.port = 7000;
  CHECK(apply_environment(config, testing::fake_env({{"AOF_PORT", ""}})).empty());
  CHECK(config.server.port == 7000);
  CHECK(config.mode == Mode::kStandalone);
}

TEST_CASE("bad values are errors named after the variable, and change nothing") {
  DaemonConfig config;
  const auto diagnostics =
      apply_environment(config, testing::fake_env({{"AOF_MODE", "both"},
                                                   {"AOF_PORT", "80a"},
                                                   {"AOF_QUEUE_TYPE", "kafka"},
                                                   {"AOF_QUEUE_URL", "amqp://x"},
                                                   {"AOF_WORKER_CONCURRENCY", "0"}}));
  CHECK(test::errors(diagnostics) ==
        std::vector<std::string>{"AOF_MODE: must be one of: gateway, worker, standalone",
                                 "AOF_PORT: must be an integer from 1 to 65535",
                                 "AOF_QUEUE_TYPE: must be one of: memory, redis, nats",
                                 "AOF_QUEUE_URL: must start with redis://, rediss://, nats:// or "
                                 "tls://",
                                 "AOF_WORKER_CONCURRENCY: must be an integer >= 1"});
  CHECK(config.server.port == 8080);
  CHECK(config.worker.concurrency == 10);
  CHECK(config.queue.type == QueueType::kMemory);
  CHECK(test::errors(apply_environment(config, testing::fake_env({{"AOF_PORT", "65536"}}))) ==
        std::vector<std::string>{"AOF_PORT: must be an integer from 1 to 65535"});
}

TEST_CASE("AOF_QUEUE_URL implies the queue type unless AOF_QUEUE_TYPE is given") {
  DaemonConfig config;
  CHECK(apply_environment(config, testing::fake_env({{"AOF_QUEUE_URL", "nats://nats:4222"}}))
            .empty());
  CHECK(config.queue.type == QueueType::kNats);
  CHECK(apply_environment(config, testing::fake_env({{"AOF_QUEUE_URL", "redis://r:6379"},
                                                     {"AOF_QUEUE_TYPE", "memory"}}))
            .empty());
  CHECK(config.queue.type == QueueType::kMemory);
}

TEST_CASE("relative directories from the environment are relative to the working directory") {
  DaemonConfig config;
  config.source_path = "/etc/aof/daemon.yaml";
  CHECK(apply_environment(config, testing::fake_env({{"AOF_AGENTS_DIR", "agents"}})).empty());
  CHECK(config.agents.directory ==
        (std::filesystem::current_path() / "agents").lexically_normal().string());
}

TEST_CASE("process_env reads the real environment") {
  setenv("AOF_CONFIG_TEST_VAR", "v", 1);
  CHECK(std::string(process_env()("AOF_CONFIG_TEST_VAR")) == "v");
  unsetenv("AOF_CONFIG_TEST_VAR");
  CHECK(process_env()("AOF_CONFIG_TEST_VAR") == nullptr);
}

}  // namespace aof::config
