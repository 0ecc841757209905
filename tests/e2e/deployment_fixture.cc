#include "tests/e2e/deployment_fixture.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace aof::testing {
namespace {

const std::map<std::string, std::string> kEnv = {{"E2E_GITHUB_SECRET", kSecret}};

bool poll(std::chrono::milliseconds timeout, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

std::unique_ptr<BrokerServer> start_server(Broker broker) {
  if (broker == Broker::kRedis) return std::make_unique<RedisServer>();
  return std::make_unique<NatsServer>();
}

}  // namespace

int wait_for_pid(const std::string& path) {
  for (int i = 0; i < 400; ++i) {
    std::ifstream in(path);
    int pid = 0;
    if (in >> pid && pid > 0) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

const char* broker_name(Broker broker) { return broker == Broker::kRedis ? "redis" : "nats"; }

Deployment::Deployment(RedisServerOptions redis, const std::string& queue_extra)
    : Deployment(Broker::kRedis, std::make_unique<RedisServer>(std::move(redis)), queue_extra) {}

Deployment::Deployment(NatsServerOptions nats, const std::string& queue_extra)
    : Deployment(Broker::kNats, std::make_unique<NatsServer>(std::move(nats)), queue_extra) {}

Deployment::Deployment(Broker broker, const std::string& queue_extra)
    : Deployment(broker, start_server(broker), queue_extra) {}

Deployment::Deployment(Broker broker, std::unique_ptr<BrokerServer> server,
                       const std::string& queue_extra)
    : broker_(broker), server_(std::move(server)), queue_extra_(queue_extra) {
  // `aof serve --mode gateway|standalone` on this file spools apart from start_sidecar().
  dir_.write("config/daemon.yaml", e2e_daemon_yaml(queue_yaml() + "  gateway:\n    spool: {path: " +
                                                   (dir_.path() / "spool-serve").string() + "}\n"));
  dir_.write("config/triggers/github.yaml",
             github_trigger_yaml({{"pull_request.opened", "record"},
                                  {"pull_request.synchronize", "gated"},
                                  {"pull_request.closed", "fixable"}}));
  dir_.write("config/flows/fixable.yaml",
             marker_flow("fixable",
                         R"(if [ -e "$MARKER.fix" ]; then printf "fixed %s\n" "$PR" >> "$MARKER"; )"
                         R"(else echo "not fixed yet" >&2; exit 1; fi)",
                         marker_path()));
  dir_.write("config/flows/record.yaml",
             marker_flow("record", R"(printf "%s\n" "$PR" >> "$MARKER"; printf "ran PR #%s" "$PR")",
                         marker_path()));
  // The shell's pid lets a test kill the flow with its worker, as a dying pod takes both. The
  // wait gives up after 60 s so a failed test leaves no shell looping behind it.
  dir_.write("config/flows/gated.yaml",
             marker_flow("gated",
                         R"(echo $$ > "$MARKER.pid.$PR"; i=0; )"
                         R"(while [ ! -e "$MARKER.gate" ] && [ $i -lt 1200 ]; do )"
                         R"(sleep 0.05; i=$((i+1)); done; )"
                         R"(printf "gated %s\n" "$PR" >> "$MARKER")",
                         marker_path()));
}

RedisServer& Deployment::redis() {
  if (broker_ != Broker::kRedis) throw std::logic_error("redis(): this deployment runs on NATS");
  return static_cast<RedisServer&>(*server_);
}

config::QueueConfig Deployment::queue_config() const {
  config::QueueConfig config;
  config.type = broker_ == Broker::kRedis ? config::QueueType::kRedis : config::QueueType::kNats;
  config.url = server_->url();
  return config;
}

std::string Deployment::queue_yaml() const {
  return std::string("  queue:\n    type: ") + broker_name(broker_) +
         "\n    url: " + server_->url() +
         "\n    max_retries: 3\n    retry_delay_ms: 50\n    retry_max_delay_ms: 100\n" +
         queue_extra_;
}

std::string Deployment::config_path() const {
  return (dir_.path() / "config/daemon.yaml").string();
}

std::string Deployment::spool_path() const { return (dir_.path() / "spool").string(); }

ChildProcess& Deployment::start_sidecar(const std::string& spool_extra) {
  dir_.write("config/sidecar.yaml",
             e2e_daemon_yaml(queue_yaml() + "  gateway:\n    spool:\n      path: " + spool_path() +
                                 "\n" + spool_extra,
                             free_loopback_port()));
  sidecar_ = std::make_unique<ChildProcess>(
      binary_path("aof-sidecar"),
      std::vector<std::string>{"--config", (dir_.path() / "config/sidecar.yaml").string()}, kEnv,
      dir_.path().string(), dir_.path().string());
  sidecar_port_ = wait_for_port(*sidecar_, "listening on http://127.0.0.1:");
  return *sidecar_;
}

WorkerProcess Deployment::start_worker(const std::string& name, int concurrency, int prefetch) {
  WorkerProcess worker;
  worker.port = free_loopback_port();
  const std::string config = dir_.write(
      "config/worker-" + name + ".yaml",
      e2e_daemon_yaml(queue_yaml() + "  worker:\n    prefetch: " + std::to_string(prefetch) +
                      "\n    drain_grace_secs: 20\n    port: " + std::to_string(worker.port) +
                      "\n"));
  worker.process = std::make_unique<ChildProcess>(
      binary_path("aof-work"),
      std::vector<std::string>{"run", "--config", config, "--consumer", name, "--concurrency",
                               std::to_string(concurrency)},
      kEnv, dir_.path().string(), dir_.path().string());
  wait_for_port(*worker.process, "worker listening on http://127.0.0.1:");
  return worker;
}

HttpReply Deployment::send_pr(int number, const std::string& action) const {
  return post_github(sidecar_port_, "pull_request", pull_request_body(number, action),
                     "d-" + action + "-" + std::to_string(number));
}

nlohmann::json Deployment::wait_for_event(const std::string& event_id) const {
  return http_get(sidecar_port_, "/v1/events/" + event_id + "?wait=20").json();
}

std::string Deployment::marker_path() const { return (dir_.path() / "marker.txt").string(); }
std::string Deployment::gate_path() const { return marker_path() + ".gate"; }
std::string Deployment::fix_path() const { return marker_path() + ".fix"; }

RunResult Deployment::aof(std::vector<std::string> args) const {
  args.push_back("--config");
  args.push_back(config_path());
  return run_to_completion(binary_path("aof"), args, kEnv);
}
std::string Deployment::pid_path(int number) const {
  return marker_path() + ".pid." + std::to_string(number);
}

std::vector<std::string> Deployment::marker_lines() const {
  std::ifstream in(marker_path());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool Deployment::wait_for_marker_lines(std::size_t count, std::chrono::seconds timeout) const {
  return poll(timeout, [&] { return marker_lines().size() >= count; });
}

bool wait_for_status(int port, const std::string& path, int status,
                     std::chrono::milliseconds timeout) {
  return poll(timeout, [&] { return http_get(port, path).status == status; });
}

bool wait_for_metric(int port, const std::string& line, std::chrono::milliseconds timeout) {
  return poll(timeout, [&] {
    const std::string text = http_get(port, "/metrics").body;
    return text.find("\n" + line + "\n") != std::string::npos;
  });
}

}  // namespace aof::testing
