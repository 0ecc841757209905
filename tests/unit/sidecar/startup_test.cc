// Start-up precedence (DESIGN §3): flags > environment > file, through the loader the binaries
// use.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "sidecar/startup.h"
#include "tests/support/fake_env.h"
#include "tests/support/temp_dir.h"

namespace aof::sidecar {
namespace {

const char* kDaemon = R"(apiVersion: aof.dev/v1
kind: DaemonConfig
metadata: {name: precedence}
spec:
  server: {host: 10.0.0.1, port: 1111}
  worker: {concurrency: 3}
)";

}  // namespace

TEST_CASE("flags beat the environment, which beats the file") {
  testing::TempDir dir;
  StartupFlags flags;
  flags.config_path = dir.write("daemon.yaml", kDaemon);

  auto file_only = load_daemon(flags, testing::fake_env({}), false);
  REQUIRE(file_only.ok());
  CHECK(file_only->config.server.port == 1111);
  CHECK(file_only->config.server.host == "10.0.0.1");

  const auto env = testing::fake_env({{"AOF_PORT", "2222"}, {"AOF_WORKER_CONCURRENCY", "4"}});
  auto with_env = load_daemon(flags, env, false);
  REQUIRE(with_env.ok());
  CHECK(with_env->config.server.port == 2222);
  CHECK(with_env->config.worker.concurrency == 4);
  CHECK(with_env->config.server.host == "10.0.0.1");

  flags.port = 3333;
  flags.concurrency = 5;
  auto with_flags = load_daemon(flags, env, false);
  REQUIRE(with_flags.ok());
  CHECK(with_flags->config.server.port == 3333);
  CHECK(with_flags->config.worker.concurrency == 5);
}

TEST_CASE("directory flags are relative to the working directory, not the config file") {
  testing::TempDir dir;
  StartupFlags flags;
  flags.config_path = dir.write("conf/daemon.yaml", kDaemon);
  flags.flows_dir = "my-flows";
  auto loaded = load_daemon(flags, testing::fake_env({}), false);
  REQUIRE(loaded.ok());
  CHECK(loaded->config.flows.directory ==
        (std::filesystem::current_path() / "my-flows").lexically_normal().string());
}

TEST_CASE("bad flags and bad files fail start-up with kInvalidArgument") {
  testing::TempDir dir;
  StartupFlags flags;
  flags.config_path = dir.write("daemon.yaml", kDaemon);
  flags.mode = "both";
  auto bad_mode = load_daemon(flags, testing::fake_env({}), false);
  REQUIRE_FALSE(bad_mode.ok());
  CHECK(bad_mode.error().code() == ErrorCode::kInvalidArgument);
  CHECK(bad_mode.error().message() ==
        "--mode: must be gateway, worker or standalone (got \"both\")");

  StartupFlags broken;
  broken.config_path =
      dir.write("broken.yaml", "kind: DaemonConfig\nspec:\n  worker: {concurrency: 0}\n");
  auto bad_file = load_daemon(broken, testing::fake_env({}), false);
  REQUIRE_FALSE(bad_file.ok());
  CHECK(bad_file.error().message().find("broken.yaml:3: spec.worker.concurrency:") !=
        std::string::npos);

  StartupFlags url;
  url.queue_url = "amqp://rabbit";
  auto bad_url = load_daemon(url, testing::fake_env({}), false);
  REQUIRE_FALSE(bad_url.ok());
  CHECK(bad_url.error().message().find("--queue-url:") == 0);
}

TEST_CASE("--queue-url picks the backend from its scheme") {
  StartupFlags flags;
  flags.queue_url = "nats://nats:4222";
  auto loaded = load_daemon(flags, testing::fake_env({}), false);
  REQUIRE(loaded.ok());
  CHECK(loaded->config.queue.type == config::QueueType::kNats);
  CHECK(loaded->config.queue.url == "nats://nats:4222");
}

}  // namespace aof::sidecar
