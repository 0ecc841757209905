#pragma once
// DaemonConfig: the one file that configures every binary (DESIGN §3). AOF's `kind:
// DaemonConfig` with every field `aofctl serve` accepts, plus our sections (mode, queue,
// gateway, worker). Defaults are the member initialisers; loader.h fills these from YAML.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aof::config {

// Where a secret comes from. Exactly one of value_env / value_file / value is set.
// Literal `value` is AOF-compatible but warned about at load.
struct SecretRef {
  std::string value_env;                   // environment variable holding the secret
  std::string value_file;                  // file holding the secret (trailing newline trimmed)
  std::string value;                       // literal secret (warned)
  std::optional<std::int64_t> not_before;  // unix seconds; secret inactive before this
  std::optional<std::int64_t> not_after;   // unix seconds; secret inactive after this
  std::string origin;                      // "daemon.yaml:14" for messages; never the secret
};

// One platform under spec.platforms.<name> (AOF's keys, extended for the platforms AOF lacks).
struct PlatformConfig {
  std::string name;                        // github, slack, discord, telegram, whatsapp, jira,
                                           // gitlab, bitbucket, pagerduty, opsgenie, generic
  bool enabled = true;                     // AOF: enabled (true)
  bool insecure = false;                   // ours: run without a secret (logged at every start)
  std::vector<SecretRef> webhook_secrets;  // AOF webhook_secret[_env] / signing_secret[_env] /
                                           // app_secret / public_key, plus ours webhook_secrets
  std::optional<SecretRef> token;          // API token: token[_env] / bot_token[_env] /
                                           // access_token[_env] / api_token[_env]
  std::string api_url;                     // reply endpoint; "" = the platform's public API
  std::string bot_name;                    // AOF bot_name (github default "aofbot")
  std::vector<std::string> allowed_repos;  // github: owner/repo, owner/*, * ; empty = all
  std::vector<std::string> allowed_orgs;   // AOF: parsed, unused
  std::vector<std::string> approval_allowed_users;  // slack
  std::map<std::string, std::string> settings;      // other scalar AOF keys (app_id, base_url,
                                                    // verify_token, phone_number_id, ...);
                                                    // `x_env` keys kept as "x_env" → VAR name
                                                    // unless `x` itself is set (direct wins)
  std::map<std::string, std::vector<std::string>> list_settings;  // jira allowed_projects,
                                                                  // allowed_events
};

struct ServerConfig {
  std::string host = "0.0.0.0";  // listen address of the sidecar / standalone listener
  int port = 8080;               // listen port
  bool cors = true;              // AOF: parsed, not applied
  int timeout_secs = 30;         // AOF: parsed; we use it as the HTTP read/write timeout
};

struct RetentionConfig {
  std::int64_t results_max = 100000;  // results kept before the oldest are trimmed
  std::int64_t dlq_max = 100000;      // dead letters kept before the oldest are trimmed
  // Unfinished events (waiting, running, retrying) at most; a publish beyond that is refused
  // as full (the sidecar answers 503), never dropped.
  std::int64_t queue_max = 1000000;
  // How long a body stored aside (over max_inline_body_bytes) is kept at most; it is removed
  // with its event before that (ack, purge), so this bounds only what is left over: dead
  // letters older than this can no longer be replayed with their body. 7 days.
  std::int64_t body_ttl_secs = 604800;
};

enum class QueueType { kMemory, kRedis, kNats };

struct QueueConfig {
  QueueType type = QueueType::kMemory;     // memory | redis | nats
  std::string url = "redis://redis:6379";  // broker URL
  std::string credentials_file;            // NATS .creds
  std::string stream = "aof-events";       // prefix of every broker name
  std::string consumer_group = "aof-workers";
  int max_retries = 3;                       // attempts after the first before dead-lettering
  std::int64_t retry_delay_ms = 1000;        // first backoff; x2 per attempt, full jitter
  std::int64_t retry_max_delay_ms = 300000;  // backoff cap
  std::int64_t lease_ms = 30000;             // unextended claim is reclaimed after this
  std::string dead_letter_queue = "aof-dlq";
  std::int64_t dedup_window_secs = 86400;  // how long a delivery id is remembered
  // An envelope whose JSON is longer has its body stored aside in chunks of this size (NATS:
  // at most the server's max_payload less 64 KiB). 1 MiB; 65536 to 536870912.
  std::int64_t max_inline_body_bytes = 1048576;
  RetentionConfig retention;
};

struct SpoolConfig {
  std::string path = "/var/lib/aof/spool";
  std::int64_t max_bytes = 1073741824;  // 1 GiB; 0 = no spool (503 while the broker is away)
};

// TLS termination in the sidecar (both files PEM; "" = plain HTTP). Usually the ingress in
// front terminates TLS; this is for sidecars exposed directly.
struct TlsConfig {
  std::string cert_file;  // certificate chain
  std::string key_file;   // private key
  bool enabled() const { return !cert_file.empty(); }
};

struct GatewayConfig {
  std::int64_t ack_timeout_ms = 5000;           // broker confirm deadline before spooling
  std::int64_t max_body_bytes = 26214400;       // 25 MiB → 413 above
  std::int64_t max_inflight_bytes = 268435456;  // all bodies being received → 503 above
  // "event_loop": one epoll thread serves every connection (plain HTTP); "httplib": a thread
  // per connection, as before (HTTPS always uses it).
  std::string http_engine = "event_loop";
  int max_connections = 10000;  // event_loop: open connections at most; more get 503
  int threads = 128;  // httplib: a thread per open connection; event_loop: threads for blocking
                      // work (spool appends, publishes on NATS)
  int keep_alive_timeout_secs = 30;  // an idle keep-alive connection is closed after this
  SpoolConfig spool;
  TlsConfig tls;
};

struct WorkerConfig {
  int concurrency = 10;        // executions in parallel per process
  int prefetch = 5;            // events fetched ahead of free slots
  int drain_grace_secs = 300;  // SIGTERM: finish in-flight within this, then release
  int port = 0;                // health/metrics listener of aof-work; 0 = none
};

struct RuntimeConfig {
  int max_concurrent_tasks = 10;  // AOF: parsed
  int task_timeout_secs = 300;    // AOF: never enforced there; enforced here per execution
  int max_tasks_per_user = 3;     // AOF: parsed
  std::string default_agent;      // chat messages with no command go here
  std::map<std::string, std::string> llm_base_urls;  // spec.runtime.llm.<provider>.base_url
};

struct DirectoryConfig {
  std::string directory;  // "" = not configured
  bool watch = false;     // AOF: not implemented there either
  bool enabled = true;    // flows only (AOF default true)
};

enum class Mode { kStandalone, kGateway, kWorker };

struct DaemonConfig {
  std::string name;         // metadata.name
  std::string source_path;  // the file this came from ("" = built-in defaults)
  Mode mode = Mode::kStandalone;
  ServerConfig server;
  std::map<std::string, PlatformConfig> platforms;  // by platform name
  DirectoryConfig agents;
  DirectoryConfig flows;
  DirectoryConfig triggers;
  DirectoryConfig fleets;    // ours (AOF docs only): extra directory for fleets
  DirectoryConfig contexts;  // ours: Context files
  RuntimeConfig runtime;
  QueueConfig queue;
  GatewayConfig gateway;
  WorkerConfig worker;
};

const char* to_string(Mode mode);
const char* to_string(QueueType type);

}  // namespace aof::config
