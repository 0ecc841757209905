// Start-up answers of the broker binaries: a memory queue or an unreachable Redis stops them
// with the documented exit code (2 / 3) and a message saying what to do.
#include <doctest/doctest.h>

#include <csignal>

#include "tests/e2e/deployment_fixture.h"

namespace aof::testing {
namespace {

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

const std::map<std::string, std::string> kEnv = {{"E2E_GITHUB_SECRET", kSecret}};

}  // namespace

TEST_CASE("aof-sidecar on the memory queue exits 2 and says to use a broker") {
  TempDir dir;
  const auto config = dir.write("daemon.yaml", e2e_daemon_yaml("  queue: {type: memory}\n"));
  const auto result = run_to_completion(binary_path("aof-sidecar"), {"--config", config}, kEnv);
  CHECK(result.exit_code == 2);
  CHECK(contains(result.err, "spec.queue.type is memory"));
  CHECK(contains(result.err, "aof serve"));
}

TEST_CASE("aof-sidecar and aof-work with an unreachable Redis exit 3 and name it") {
  TempDir dir;
  const auto config = dir.write("daemon.yaml", e2e_daemon_yaml("  queue: {type: memory}\n"));
  const std::string url = "redis://127.0.0.1:" + std::to_string(free_loopback_port());
  const auto sidecar =
      run_to_completion(binary_path("aof-sidecar"), {"--config", config, "--queue-url", url}, kEnv);
  INFO(sidecar.err);
  CHECK(sidecar.exit_code == 3);
  CHECK(contains(sidecar.err, url.substr(std::string("redis://").size())));
  const auto worker = run_to_completion(binary_path("aof-work"),
                                        {"run", "--config", config, "--queue-url", url}, kEnv);
  INFO(worker.err);
  CHECK(worker.exit_code == 3);
  const auto serve = run_to_completion(
      binary_path("aof"), {"serve", "-c", config, "--mode", "worker", "--queue-url", url}, kEnv);
  CHECK(serve.exit_code == 3);
}

TEST_CASE("every role logs the broker's durability warnings at start-up") {
  Deployment deployment(RedisServerOptions{.appendonly = false});
  auto& sidecar = deployment.start_sidecar();
  auto worker = deployment.start_worker("w", 1);
  // What the warning says is the backend's; that it is logged at warn by each role is ours.
  const auto sidecar_line =
      sidecar.wait_for_stderr("warning [queue] backend=redis", std::chrono::seconds(2));
  const auto worker_line =
      worker.process->wait_for_stderr("warning [queue] backend=redis", std::chrono::seconds(2));
  INFO(sidecar.stderr_text());
  REQUIRE(sidecar_line);
  REQUIRE(worker_line);
  CHECK(*sidecar_line == *worker_line);
}

TEST_CASE("aof serve --mode gateway and --mode worker run one event on Redis") {
  Deployment deployment;
  const std::string gateway_config = deployment.dir().write(
      "config/gateway.yaml",
      e2e_daemon_yaml("  queue:\n    type: redis\n    url: " + deployment.redis().url() + "\n",
                      free_loopback_port()));
  ChildProcess gateway(binary_path("aof"), {"serve", "-c", gateway_config, "--mode", "gateway"},
                       kEnv, deployment.dir().path().string(), deployment.dir().path().string());
  const int port = wait_for_port(gateway, "listening on http://127.0.0.1:");
  ChildProcess worker(binary_path("aof"),
                      {"serve", "-c", deployment.config_path(), "--mode", "worker"}, kEnv,
                      deployment.dir().path().string(), deployment.dir().path().string());
  REQUIRE(worker.wait_for_stderr("ready: mode worker", std::chrono::seconds(30)));

  const auto reply = post_github(port, "pull_request", pull_request_body(3), "d-serve-3");
  REQUIRE(reply.status == 202);
  INFO(worker.stderr_text());
  REQUIRE(deployment.wait_for_marker_lines(1, std::chrono::seconds(20)));
  CHECK(deployment.marker_lines() == std::vector<std::string>{"3"});
  gateway.signal(SIGTERM);
  worker.signal(SIGTERM);
  CHECK(gateway.wait(std::chrono::seconds(20)) == 0);
  CHECK(worker.wait(std::chrono::seconds(20)) == 0);
}

}  // namespace aof::testing
