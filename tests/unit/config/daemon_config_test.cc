#include <doctest/doctest.h>

#include "common/config/loader.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/config/test_util.h"

namespace aof::config {
namespace {

using test::errors;
using test::warnings;

const std::string kHeader = "apiVersion: aof.dev/v1\nkind: DaemonConfig\nmetadata:\n  name: t\n";

DaemonConfigLoad parse_spec(const std::string& spec) {
  return parse_daemon_config(kHeader + "spec:\n" + spec, "daemon.yaml");
}

// The single error of parsing `spec` (lines counted from the file's start: spec is line 5).
std::string only_error(const std::string& spec) {
  const auto load = parse_spec(spec);
  const auto e = errors(load.diagnostics);
  REQUIRE_MESSAGE(e.size() == 1, spec);
  CHECK_FALSE(load.config.has_value());
  return e.front();
}

}  // namespace

TEST_CASE("an empty spec gives every documented default") {
  const auto load = parse_spec("  {}\n");
  REQUIRE(load.config);
  CHECK(load.diagnostics.empty());
  const DaemonConfig& c = *load.config;
  CHECK(c.name == "t");
  CHECK(c.mode == Mode::kStandalone);
  CHECK(c.server.host == "0.0.0.0");
  CHECK(c.server.port == 8080);
  CHECK(c.server.timeout_secs == 30);
  CHECK(c.queue.type == QueueType::kMemory);
  CHECK(c.queue.url == "redis://redis:6379");
  CHECK(c.queue.stream == "aof-events");
  CHECK(c.queue.consumer_group == "aof-workers");
  CHECK(c.queue.max_retries == 3);
  CHECK(c.queue.retry_delay_ms == 1000);
  CHECK(c.queue.retry_max_delay_ms == 300000);
  CHECK(c.queue.lease_ms == 30000);
  CHECK(c.queue.dead_letter_queue == "aof-dlq");
  CHECK(c.queue.dedup_window_secs == 86400);
  CHECK(c.queue.retention.results_max == 100000);
  CHECK(c.queue.retention.dlq_max == 100000);
  CHECK(c.queue.retention.body_ttl_secs == 604800);
  CHECK(c.queue.max_inline_body_bytes == 1048576);
  CHECK(c.gateway.ack_timeout_ms == 5000);
  CHECK(c.gateway.max_body_bytes == 26214400);
  CHECK(c.gateway.max_inflight_bytes == 268435456);
  CHECK(c.gateway.spool.path == "/var/lib/aof/spool");
  CHECK(c.gateway.spool.max_bytes == 1073741824);
  CHECK(c.gateway.threads == 128);
  CHECK(c.gateway.keep_alive_timeout_secs == 30);
  CHECK(c.gateway.http_engine == "event_loop");
  CHECK(c.gateway.max_connections == 10000);
  CHECK_FALSE(c.gateway.tls.enabled());
  CHECK(c.worker.concurrency == 10);
  CHECK(c.worker.prefetch == 5);
  CHECK(c.worker.drain_grace_secs == 300);
  CHECK(c.worker.port == 0);
  CHECK(c.runtime.task_timeout_secs == 300);
  CHECK(c.flows.enabled);
  CHECK(c.agents.directory.empty());
  CHECK(c.platforms.empty());
}

TEST_CASE("every one of our keys is read") {
  const auto load = parse_spec(R"(  mode: worker
  server: {host: 127.0.0.1, port: 9000, timeout_secs: 12}
  queue:
    type: nats
    url: tls://nats.internal:4222
    credentials_file: /etc/aof/nats.creds
    stream: ev
    consumer_group: cg
    max_retries: 0
    retry_delay_ms: 250
    retry_max_delay_ms: 250
    lease_ms: 1500
    dead_letter_queue: dead
    dedup_window_secs: 60
    retention: {results_max: 10, dlq_max: 20}
  gateway:
    ack_timeout_ms: 2500
    max_body_bytes: 1024
    max_inflight_bytes: 1024
    spool: {path: /tmp/spool, max_bytes: 4096}
    threads: 16
    keep_alive_timeout_secs: 7
    http_engine: httplib
    max_connections: 50
    tls: {cert_file: /etc/aof/tls.crt, key_file: /etc/aof/tls.key}
  worker: {concurrency: 64, prefetch: 0, drain_grace_secs: 5, port: 9100}
  agents: {directory: ./agents}
  flows: {directory: ./flows, enabled: false}
  triggers: {directory: /abs/triggers}
  fleets: {directory: fleets}
  contexts: {directory: ctx}
  runtime:
    task_timeout_secs: 42
    default_agent: devops
    llm: {openai: {base_url: "http://mock:8080/v1"}}
)");
  REQUIRE_MESSAGE(load.config, errors(load.diagnostics).front());
  CHECK(load.diagnostics.empty());
  const DaemonConfig& c = *load.config;
  CHECK(c.mode == Mode::kWorker);
  CHECK(c.server.host == "127.0.0.1");
  CHECK(c.server.port == 9000);
  CHECK(c.server.timeout_secs == 12);
  CHECK(c.queue.type == QueueType::kNats);
  CHECK(c.queue.url == "tls://nats.internal:4222");
  CHECK(c.queue.credentials_file == "/etc/aof/nats.creds");
  CHECK(c.queue.stream == "ev");
  CHECK(c.queue.consumer_group == "cg");
  CHECK(c.queue.max_retries == 0);
  CHECK(c.queue.retry_delay_ms == 250);
  CHECK(c.queue.retry_max_delay_ms == 250);
  CHECK(c.queue.lease_ms == 1500);
  CHECK(c.queue.dead_letter_queue == "dead");
  CHECK(c.queue.dedup_window_secs == 60);
  CHECK(c.queue.retention.results_max == 10);
  CHECK(c.queue.retention.dlq_max == 20);
  CHECK(c.gateway.ack_timeout_ms == 2500);
  CHECK(c.gateway.max_body_bytes == 1024);
  CHECK(c.gateway.max_inflight_bytes == 1024);
  CHECK(c.gateway.spool.path == "/tmp/spool");
  CHECK(c.gateway.spool.max_bytes == 4096);
  CHECK(c.gateway.threads == 16);
  CHECK(c.gateway.keep_alive_timeout_secs == 7);
  CHECK(c.gateway.http_engine == "httplib");
  CHECK(c.gateway.max_connections == 50);
  CHECK(c.gateway.tls.cert_file == "/etc/aof/tls.crt");
  CHECK(c.gateway.tls.key_file == "/etc/aof/tls.key");
  CHECK(c.worker.concurrency == 64);
  CHECK(c.worker.prefetch == 0);
  CHECK(c.worker.drain_grace_secs == 5);
  CHECK(c.worker.port == 9100);
  CHECK(c.agents.directory == "./agents");
  CHECK(c.flows.directory == "./flows");
  CHECK_FALSE(c.flows.enabled);
  CHECK(c.triggers.directory == "/abs/triggers");
  CHECK(c.fleets.directory == "fleets");
  CHECK(c.contexts.directory == "ctx");
  CHECK(c.runtime.task_timeout_secs == 42);
  CHECK(c.runtime.default_agent == "devops");
  CHECK(c.runtime.llm_base_urls.at("openai") == "http://mock:8080/v1");
}

TEST_CASE("out-of-range values are errors naming file, line and path, never clamped") {
  CHECK(only_error("  queue:\n    type: redis\n    max_retries: -1\n") ==
        "daemon.yaml:8: spec.queue.max_retries: must be >= 0");
  CHECK(only_error("  server:\n    port: 70000\n") ==
        "daemon.yaml:7: spec.server.port: must be an integer from 1 to 65535");
  CHECK(only_error("  server: {port: 0}\n") ==
        "daemon.yaml:6: spec.server.port: must be an integer from 1 to 65535");
  CHECK(only_error("  queue: {lease_ms: 0}\n") ==
        "daemon.yaml:6: spec.queue.lease_ms: must be >= 1");
  CHECK(only_error("  queue: {max_inline_body_bytes: 65535}\n") ==
        "daemon.yaml:6: spec.queue.max_inline_body_bytes: must be >= 65536");
  CHECK(only_error("  queue: {max_inline_body_bytes: 536870913}\n") ==
        "daemon.yaml:6: spec.queue.max_inline_body_bytes: must be <= 536870912");
  CHECK(only_error("  queue: {retention: {body_ttl_secs: 0}}\n") ==
        "daemon.yaml:6: spec.queue.retention.body_ttl_secs: must be >= 1");
  CHECK(only_error("  worker:\n    concurrency: 0\n") ==
        "daemon.yaml:7: spec.worker.concurrency: must be >= 1");
  CHECK(only_error("  worker: {port: 65536}\n") ==
        "daemon.yaml:6: spec.worker.port: must be an integer from 0 to 65535");
  CHECK(only_error("  queue:\n    retry_delay_ms: 5000\n    retry_max_delay_ms: 4000\n") ==
        "daemon.yaml:8: spec.queue.retry_max_delay_ms: must be >= retry_delay_ms (5000)");
  CHECK(only_error("  queue:\n    retry_delay_ms: 400000\n") ==
        "daemon.yaml:7: spec.queue.retry_delay_ms: must be <= retry_max_delay_ms (300000)");
  CHECK(only_error("  gateway: {max_body_bytes: 100, max_inflight_bytes: 99}\n") ==
        "daemon.yaml:6: spec.gateway.max_inflight_bytes: must be >= max_body_bytes (100)");
  CHECK(only_error("  gateway: {threads: 0}\n") ==
        "daemon.yaml:6: spec.gateway.threads: must be an integer from 1 to 4096");
  CHECK(only_error("  gateway: {max_connections: 0}\n") ==
        "daemon.yaml:6: spec.gateway.max_connections: must be an integer from 1 to 1000000");
  CHECK(only_error("  gateway:\n    tls: {cert_file: /a.crt}\n") ==
        "daemon.yaml:7: spec.gateway.tls: needs both cert_file and key_file");
  CHECK(only_error("  runtime: {task_timeout_secs: 0}\n") ==
        "daemon.yaml:6: spec.runtime.task_timeout_secs: must be >= 1");
}

TEST_CASE("enumerations and types are checked exactly") {
  CHECK(only_error("  mode: Gateway\n") ==
        "daemon.yaml:6: spec.mode: must be one of: gateway, worker, standalone");
  CHECK(only_error("  gateway: {http_engine: epoll}\n") ==
        "daemon.yaml:6: spec.gateway.http_engine: must be one of: event_loop, httplib");
  CHECK(only_error("  queue: {type: kafka}\n") ==
        "daemon.yaml:6: spec.queue.type: must be one of: memory, redis, nats");
  CHECK(only_error("  queue:\n    max_retries: three\n") ==
        "daemon.yaml:7: spec.queue.max_retries: must be an integer");
  CHECK(only_error("  queue: {max_retries: 1.5}\n") ==
        "daemon.yaml:6: spec.queue.max_retries: must be an integer");
  CHECK(only_error("  server: {port: eighty}\n") ==
        "daemon.yaml:6: spec.server.port: must be an integer from 1 to 65535");
  CHECK(only_error("  flows: {enabled: maybe}\n") ==
        "daemon.yaml:6: spec.flows.enabled: must be true or false");
  CHECK(only_error("  server: {host: [a, b]}\n") ==
        "daemon.yaml:6: spec.server.host: must be a string");
  CHECK(only_error("  queue: {stream: \"\"}\n") ==
        "daemon.yaml:6: spec.queue.stream: must not be empty");
  CHECK(only_error("  agents:\n    - agents/k8s.yaml\n") ==
        "daemon.yaml:7: spec.agents: must be a map");
}

TEST_CASE("the queue URL must match the queue type") {
  CHECK(only_error("  queue:\n    type: redis\n    url: nats://n:4222\n") ==
        "daemon.yaml:8: spec.queue.url: must start with redis:// or rediss:// for type redis");
  CHECK(only_error("  queue:\n    type: nats\n    url: redis://r:6379\n") ==
        "daemon.yaml:8: spec.queue.url: must start with nats:// or tls:// for type nats");
  const auto nats = parse_spec("  queue: {type: nats}\n");
  REQUIRE(nats.config);
  CHECK(nats.config->queue.url == "nats://nats:4222");
  const auto memory = parse_spec("  queue: {url: redis://r:6379}\n");
  REQUIRE(memory.config);
  CHECK(warnings(memory.diagnostics) ==
        std::vector<std::string>{"daemon.yaml:6: spec.queue.url: ignored: type is memory"});
}

TEST_CASE("unknown keys are errors: in our sections, in AOF's sections, and unknown to both") {
  CHECK(only_error("  queue:\n    max_retry: 2\n") ==
        "daemon.yaml:7: spec.queue.max_retry: unknown key (did you mean max_retries?)");
  CHECK(only_error("  gateway: {spool: {dir: /x}}\n") ==
        "daemon.yaml:6: spec.gateway.spool.dir: unknown key");
  CHECK(only_error("  server:\n    tls: {enabled: true}\n") ==
        "daemon.yaml:7: spec.server.tls: unknown key");
  CHECK(only_error("  bindings: []\n") == "daemon.yaml:6: spec.bindings: unknown key");
  CHECK(only_error("  worker: {threads: 4}\n") ==
        "daemon.yaml:6: spec.worker.threads: unknown key");
  CHECK(only_error("  platforms:\n    teams: {enabled: true}\n") ==
        "daemon.yaml:7: spec.platforms.teams: platform teams is not supported");
  const auto top = parse_daemon_config(kHeader + "spec: {}\nstatus: {}\n", "daemon.yaml");
  CHECK(errors(top.diagnostics) == std::vector<std::string>{"daemon.yaml:6: status: unknown key"});
}

TEST_CASE("AOF keys we do not use are accepted with one warning each") {
  const auto load = parse_spec(R"(  server: {port: 8080, cors: false}
  agents: {directory: ./agents, watch: true}
  runtime:
    max_concurrent_tasks: 5
    max_tasks_per_user: 3
  platforms:
    github: {webhook_secret_env: GH_SECRET, allowed_orgs: [acme]}
)");
  REQUIRE(load.config);
  CHECK(load.config->server.cors == false);
  CHECK(load.config->runtime.max_concurrent_tasks == 5);
  CHECK(load.config->platforms.at("github").allowed_orgs == std::vector<std::string>{"acme"});
  CHECK(warnings(load.diagnostics) ==
        std::vector<std::string>{
            "daemon.yaml:6: spec.server.cors: parsed for AOF compatibility; has no effect",
            "daemon.yaml:7: spec.agents.watch: parsed for AOF compatibility; has no effect "
            "(files are read at start-up only)",
            "daemon.yaml:9: spec.runtime.max_concurrent_tasks: parsed for AOF compatibility; has "
            "no effect (use spec.worker.concurrency)",
            "daemon.yaml:10: spec.runtime.max_tasks_per_user: parsed for AOF compatibility; has no "
            "effect",
            "daemon.yaml:12: spec.platforms.github.allowed_orgs: parsed for AOF compatibility; "
            "has no effect"});
}

TEST_CASE("the envelope: kind, spec, documents and YAML syntax") {
  const auto wrong_kind =
      parse_daemon_config("apiVersion: aof.dev/v1\nkind: Trigger\nspec: {}\n", "d.yaml");
  CHECK(errors(wrong_kind.diagnostics) ==
        std::vector<std::string>{"d.yaml:2: kind: must be DaemonConfig"});
  const auto no_spec = parse_daemon_config("kind: DaemonConfig\n", "d.yaml");
  CHECK(errors(no_spec.diagnostics) == std::vector<std::string>{"d.yaml:1: spec: required"});
  const auto two = parse_daemon_config(
      "kind: DaemonConfig\nspec: {}\n---\nkind: DaemonConfig\n"
      "spec: {}\n",
      "d.yaml");
  CHECK(errors(two.diagnostics) ==
        std::vector<std::string>{"d.yaml:4: expected one DaemonConfig document, found 2"});
  const auto duplicate =
      parse_daemon_config("kind: DaemonConfig\nspec:\n  mode: worker\n  mode: gateway\n", "d.yaml");
  CHECK(errors(duplicate.diagnostics) ==
        std::vector<std::string>{"d.yaml:4: spec.mode: duplicate key"});
  const auto bad_yaml = parse_daemon_config(
      "kind: DaemonConfig\nspec:\n  server:\n    port: [8080\n  mode: worker\n", "d.yaml");
  const auto e = errors(bad_yaml.diagnostics);
  REQUIRE(e.size() == 1);
  CHECK(e.front().rfind("d.yaml:5: invalid YAML: ", 0) == 0);
  const auto api =
      parse_daemon_config("apiVersion: aof.dev/v2\nkind: DaemonConfig\nspec: {}\n", "d.yaml");
  REQUIRE(api.config);
  CHECK(warnings(api.diagnostics) ==
        std::vector<std::string>{"d.yaml:1: apiVersion: expected aof.dev/v1"});
}

TEST_CASE("load_daemon_config reads the file and names it in messages") {
  testing::TempDir dir;
  const std::string path =
      dir.write("conf/daemon.yaml", kHeader + "spec:\n  queue:\n    max_retries: -2\n");
  const auto bad = load_daemon_config(path);
  CHECK(errors(bad.diagnostics) ==
        std::vector<std::string>{path + ":7: spec.queue.max_retries: must be >= 0"});
  const std::string good = dir.write("conf/ok.yaml", kHeader + "spec: {mode: gateway}\n");
  const auto loaded = load_daemon_config(good);
  REQUIRE(loaded.config);
  CHECK(loaded.config->source_path == good);
  CHECK(loaded.config->mode == Mode::kGateway);
  const auto missing = load_daemon_config(dir.path().string() + "/nope.yaml");
  CHECK(errors(missing.diagnostics) ==
        std::vector<std::string>{dir.path().string() +
                                 "/nope.yaml: cannot read: No such file or directory"});
}

TEST_CASE("the AOF reference DaemonConfig loads unchanged") {
  const auto load = parse_daemon_config(R"(apiVersion: aof.dev/v1
kind: DaemonConfig
metadata: {name: gateway}
spec:
  server: {port: 8080}
  platforms:
    github: {webhook_secret_env: GITHUB_WEBHOOK_SECRET, token_env: GITHUB_TOKEN}
    slack: {bot_token_env: SLACK_BOT_TOKEN, signing_secret_env: SLACK_SIGNING_SECRET}
  triggers: {directory: ./triggers}
  agents: {directory: ./agents}
  flows: {directory: ./flows}
)",
                                        "daemon.yaml");
  REQUIRE(load.config);
  CHECK(load.diagnostics.empty());
  CHECK(load.config->name == "gateway");
  CHECK(load.config->triggers.directory == "./triggers");
  CHECK(load.config->platforms.size() == 2);
}

}  // namespace aof::config
