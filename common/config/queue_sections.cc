// Our DaemonConfig sections: mode, queue, gateway, worker (DESIGN §3). Strict: unknown keys
// and out-of-range values are errors; nothing is clamped.
#include "common/config/daemon_sections.h"

namespace aof::config {
namespace {

// queue.max_inline_body_bytes: below 64 KiB most webhooks would go aside; above Redis's
// proto-max-bulk-len (512 MiB) nothing could be stored at all.
constexpr std::int64_t kMinInlineBody = 65536;
constexpr std::int64_t kMaxInlineBody = 536870912;

void read_nonempty(Walker& walker, const Field& field, std::string& out) {
  std::string value;
  if (!walker.read_string(field, value)) return;
  if (value.empty())
    walker.error(field, "must not be empty");
  else
    out = value;
}

void read_retention(Walker& walker, const Field& field, RetentionConfig& out) {
  walk_map(walker, field,
           {{"results_max", [&](const Field& f) { walker.read_int(f, out.results_max, 1); }},
            {"dlq_max", [&](const Field& f) { walker.read_int(f, out.dlq_max, 1); }},
            {"queue_max", [&](const Field& f) { walker.read_int(f, out.queue_max, 1); }},
            {"body_ttl_secs", [&](const Field& f) { walker.read_int(f, out.body_ttl_secs, 1); }}},
           UnknownKeys::kError);
}

void read_spool(Walker& walker, const Field& field, SpoolConfig& out) {
  walk_map(walker, field,
           {{"path", [&](const Field& f) { read_nonempty(walker, f, out.path); }},
            {"max_bytes", [&](const Field& f) { walker.read_int(f, out.max_bytes, 0); }}},
           UnknownKeys::kError);
}

void read_tls(Walker& walker, const Field& field, TlsConfig& out) {
  const bool ok = walk_map(
      walker, field,
      {{"cert_file", [&](const Field& f) { read_nonempty(walker, f, out.cert_file); }},
       {"key_file", [&](const Field& f) { read_nonempty(walker, f, out.key_file); }}},
      UnknownKeys::kError);
  if (ok && out.cert_file.empty() != out.key_file.empty()) {
    walker.error(field, "needs both cert_file and key_file");
  }
}

void read_queue_type(Walker& walker, const Field& field, QueueType& out) {
  std::string text;
  if (walker.read_enum(field, text, {"memory", "redis", "nats"})) parse_queue_type(text, out);
}

// The broker URL must match the broker; a URL beside the memory queue is unused.
void check_queue_url(Walker& walker, const Field& queue, QueueConfig& out) {
  const Field url = queue.at("url");
  if (!url.present()) {
    if (out.type == QueueType::kNats) out.url = "nats://nats:4222";
    return;
  }
  const auto implied = queue_type_of_url(out.url);
  if (out.type == QueueType::kMemory) {
    walker.warning(url, "ignored: type is memory");
  } else if (implied != out.type) {
    walker.error(url, out.type == QueueType::kRedis
                          ? "must start with redis:// or rediss:// for type redis"
                          : "must start with nats:// or tls:// for type nats");
  }
}

void check_retry_delays(Walker& walker, const Field& queue, const QueueConfig& out) {
  if (out.retry_max_delay_ms >= out.retry_delay_ms) return;
  const Field max = queue.at("retry_max_delay_ms");
  walker.error(
      max.present() ? max : queue.at("retry_delay_ms"),
      max.present()
          ? "must be >= retry_delay_ms (" + std::to_string(out.retry_delay_ms) + ")"
          : "must be <= retry_max_delay_ms (" + std::to_string(out.retry_max_delay_ms) + ")");
}

}  // namespace

bool parse_mode(const std::string& text, Mode& out) {
  if (text == "standalone")
    out = Mode::kStandalone;
  else if (text == "gateway")
    out = Mode::kGateway;
  else if (text == "worker")
    out = Mode::kWorker;
  else
    return false;
  return true;
}

bool parse_queue_type(const std::string& text, QueueType& out) {
  if (text == "memory")
    out = QueueType::kMemory;
  else if (text == "redis")
    out = QueueType::kRedis;
  else if (text == "nats")
    out = QueueType::kNats;
  else
    return false;
  return true;
}

std::optional<QueueType> queue_type_of_url(const std::string& url) {
  const auto starts = [&](const char* prefix) { return url.rfind(prefix, 0) == 0; };
  if (starts("redis://") || starts("rediss://")) return QueueType::kRedis;
  if (starts("nats://") || starts("tls://")) return QueueType::kNats;
  return std::nullopt;
}

void read_mode(Walker& walker, const Field& field, Mode& out) {
  std::string text;
  if (walker.read_enum(field, text, {"gateway", "worker", "standalone"})) parse_mode(text, out);
}

void read_queue(Walker& walker, const Field& field, QueueConfig& out) {
  const auto text = [&](std::string& target) {
    return [&walker, &target](const Field& f) { read_nonempty(walker, f, target); };
  };
  const bool ok = walk_map(
      walker, field,
      {{"type", [&](const Field& f) { read_queue_type(walker, f, out.type); }},
       {"url", text(out.url)},
       {"credentials_file", text(out.credentials_file)},
       {"stream", text(out.stream)},
       {"consumer_group", text(out.consumer_group)},
       {"max_retries", [&](const Field& f) { walker.read_int(f, out.max_retries, 0); }},
       {"retry_delay_ms", [&](const Field& f) { walker.read_int(f, out.retry_delay_ms, 0); }},
       {"retry_max_delay_ms",
        [&](const Field& f) { walker.read_int(f, out.retry_max_delay_ms, 0); }},
       {"lease_ms", [&](const Field& f) { walker.read_int(f, out.lease_ms, 1); }},
       {"dead_letter_queue", text(out.dead_letter_queue)},
       {"dedup_window_secs", [&](const Field& f) { walker.read_int(f, out.dedup_window_secs, 1); }},
       {"max_inline_body_bytes",
        [&](const Field& f) {
          walker.read_int(f, out.max_inline_body_bytes, kMinInlineBody, kMaxInlineBody);
        }},
       {"retention", [&](const Field& f) { read_retention(walker, f, out.retention); }}},
      UnknownKeys::kError);
  if (!ok) return;
  check_queue_url(walker, field, out);
  check_retry_delays(walker, field, out);
}

void read_gateway(Walker& walker, const Field& field, GatewayConfig& out) {
  const bool ok = walk_map(
      walker, field,
      {{"ack_timeout_ms", [&](const Field& f) { walker.read_int(f, out.ack_timeout_ms, 1); }},
       {"max_body_bytes", [&](const Field& f) { walker.read_int(f, out.max_body_bytes, 1); }},
       {"max_inflight_bytes",
        [&](const Field& f) { walker.read_int(f, out.max_inflight_bytes, 1); }},
       {"threads", [&](const Field& f) { walker.read_int_between(f, out.threads, 1, 4096); }},
       {"http_engine",
        [&](const Field& f) { walker.read_enum(f, out.http_engine, {"event_loop", "httplib"}); }},
       {"max_connections",
        [&](const Field& f) { walker.read_int_between(f, out.max_connections, 1, 1000000); }},
       {"keep_alive_timeout_secs",
        [&](const Field& f) { walker.read_int_between(f, out.keep_alive_timeout_secs, 1, 3600); }},
       {"spool", [&](const Field& f) { read_spool(walker, f, out.spool); }},
       {"tls", [&](const Field& f) { read_tls(walker, f, out.tls); }}},
      UnknownKeys::kError);
  if (ok && out.max_inflight_bytes < out.max_body_bytes) {
    const Field inflight = field.at("max_inflight_bytes");
    walker.error(
        inflight.present() ? inflight : field.at("max_body_bytes"),
        inflight.present()
            ? "must be >= max_body_bytes (" + std::to_string(out.max_body_bytes) + ")"
            : "must be <= max_inflight_bytes (" + std::to_string(out.max_inflight_bytes) + ")");
  }
}

void read_worker(Walker& walker, const Field& field, WorkerConfig& out) {
  walk_map(
      walker, field,
      {{"concurrency", [&](const Field& f) { walker.read_int(f, out.concurrency, 1); }},
       {"prefetch", [&](const Field& f) { walker.read_int(f, out.prefetch, 0); }},
       {"drain_grace_secs", [&](const Field& f) { walker.read_int(f, out.drain_grace_secs, 0); }},
       {"port", [&](const Field& f) { walker.read_int_between(f, out.port, 0, 65535); }}},
      UnknownKeys::kError);
}

}  // namespace aof::config
