#include "sidecar/gateway.h"

#include <spdlog/spdlog.h>

#include <sstream>

#include "common/base/log.h"
#include "common/config/secrets.h"
#include "common/ingest/ingress.h"
#include "common/ingest/settings.h"
#include "sidecar/admin.h"

namespace aof::sidecar {
namespace {

Result<std::map<std::string, std::vector<config::Secret>>> resolve_trigger_secrets(
    const config::ResourceSet& resources, const config::EnvLookup& env) {
  std::map<std::string, std::vector<config::Secret>> by_trigger;
  for (const auto& [name, trigger] : resources.triggers) {
    if (trigger.webhook_secrets.empty()) continue;
    auto resolved = config::resolve_secrets(trigger.webhook_secrets, env);
    if (!resolved.ok()) return resolved.error().with_context("trigger " + name);
    by_trigger.emplace(name, std::move(*resolved));
  }
  return by_trigger;
}

Result<ingest::IngressSettings> build_settings(const LoadedDaemon& daemon,
                                               const config::EnvLookup& env) {
  std::vector<config::Secret> github_secrets;
  if (auto github = daemon.config.platforms.find("github");
      github != daemon.config.platforms.end()) {
    auto resolved = config::resolve_secrets(github->second.webhook_secrets, env);
    if (!resolved.ok()) return resolved.error().with_context("spec.platforms.github");
    github_secrets = std::move(*resolved);
    if (github->second.insecure) {
      log::get(log::Component::kSidecar)
          ->warn(
              "spec.platforms.github.insecure is true: GitHub requests are accepted "
              "WITHOUT signature verification unless a trigger has its own secret");
    }
  }
  auto trigger_secrets = resolve_trigger_secrets(*daemon.resources, env);
  if (!trigger_secrets.ok()) return trigger_secrets.error();
  auto settings = ingest::make_ingress_settings(daemon.config, *daemon.resources,
                                                std::move(github_secrets), *trigger_secrets);
  if (auto checked = ingest::check_ingress_settings(settings); !checked.ok()) {
    return checked.error();
  }
  return settings;
}

ingest::PublishOutcome to_outcome(const Result<queue::PublishReceipt>& published) {
  if (published.ok()) {
    return published->status == queue::PublishStatus::kDuplicate
               ? ingest::PublishOutcome::kDuplicate
               : ingest::PublishOutcome::kAccepted;
  }
  switch (published.error().code()) {
    case ErrorCode::kResourceExhausted:
      return ingest::PublishOutcome::kFull;
    case ErrorCode::kInvalidArgument:
      return ingest::PublishOutcome::kInvalid;
    default:
      return ingest::PublishOutcome::kUnavailable;
  }
}

// What answer_published and the logs read of an envelope, without its body and metadata.
event::Envelope names_of(const event::Envelope& envelope) {
  event::Envelope names;
  names.id = envelope.id;
  names.platform = envelope.platform;
  names.tenant = envelope.tenant;
  names.trigger = envelope.trigger;
  names.event = envelope.event;
  names.delivery_id = envelope.delivery_id;
  return names;
}

void counter(std::ostringstream& out, const char* outcome, std::uint64_t value) {
  out << "aof_sidecar_requests_total{platform=\"github\",outcome=\"" << outcome << "\"} " << value
      << "\n";
}

}  // namespace

Result<std::unique_ptr<Gateway>> Gateway::create(const LoadedDaemon& daemon,
                                                 std::shared_ptr<queue::Queue> queue, Clock& clock,
                                                 const config::EnvLookup& env) {
  auto settings = build_settings(daemon, env);
  if (!settings.ok()) return settings.error();
  auto ingress = std::make_unique<ingest::Ingress>(std::move(*settings), clock);
  return std::unique_ptr<Gateway>(new Gateway(daemon, std::move(queue), std::move(ingress)));
}

Gateway::Gateway(const LoadedDaemon& daemon, std::shared_ptr<queue::Queue> queue,
                 std::unique_ptr<ingest::Ingress> ingress)
    : config_(daemon.config), queue_(std::move(queue)), ingress_(std::move(ingress)) {}

Gateway::~Gateway() = default;

ingest::IngressResponse Gateway::handle_webhook(const ingest::IngressRequest& request) {
  auto decision = ingress_->decide(request);
  if (decision.answer) return std::move(*decision.answer);
  // The queue takes the envelope itself (body and metadata are not copied); the answer and
  // the log lines below need only its names.
  const event::Envelope envelope = names_of(*decision.publish);
  auto pending = queue_->publish(std::move(*decision.publish));
  const auto timeout = Millis(config_.gateway.ack_timeout_ms);
  if (pending.wait_for(timeout) != std::future_status::ready) {
    log::get(log::Component::kSidecar)
        ->error("event_id={} platform={} broker did not confirm within {} ms", envelope.id,
                envelope.platform, timeout.count());
    return ingress_->answer_published(envelope, ingest::PublishOutcome::kUnavailable);
  }
  const auto published = pending.get();
  if (!published.ok()) {
    log::get(log::Component::kSidecar)
        ->error("event_id={} platform={} publish failed: {}", envelope.id, envelope.platform,
                published.error().message());
  }
  return ingress_->answer_published(envelope, to_outcome(published));
}

HttpHandlers Gateway::handlers() {
  HttpHandlers handlers;
  handlers.webhook = [this](const ingest::IngressRequest& r) { return handle_webhook(r); };
  handlers.ready = [this] { return ready(); };
  handlers.metrics = [this] { return metrics_text(); };
  handlers.admin = [this](const ingest::IngressRequest& r) { return handle_admin(*queue_, r); };
  return handlers;
}

HttpOptions Gateway::http_options() const {
  HttpOptions options;
  options.host = config_.server.host;
  options.port = config_.server.port;
  options.read_timeout_secs = config_.server.timeout_secs;
  options.write_timeout_secs = config_.server.timeout_secs;
  options.max_body_bytes = config_.gateway.max_body_bytes;
  options.max_inflight_bytes = config_.gateway.max_inflight_bytes;
  return options;
}

std::string Gateway::metrics_text() const {
  const auto& c = ingress_->counters();
  std::ostringstream out;
  out << "# HELP aof_sidecar_requests_total Webhook requests by outcome.\n"
      << "# TYPE aof_sidecar_requests_total counter\n";
  counter(out, "accepted", c.accepted);
  counter(out, "duplicate", c.duplicate);
  counter(out, "pong", c.pong);
  counter(out, "ignored", c.ignored);
  counter(out, "unauthorized", c.unauthorized);
  counter(out, "malformed", c.malformed);
  counter(out, "not_found", c.not_found);
  counter(out, "too_large", c.too_large);
  counter(out, "unavailable", c.unavailable);
  counter(out, "failed", c.failed);
  if (auto stats = queue_->stats(); stats.ok()) {
    out << "# TYPE aof_queue_depth gauge\naof_queue_depth " << stats->depth << "\n"
        << "# TYPE aof_queue_pending gauge\naof_queue_pending " << stats->pending << "\n"
        << "# TYPE aof_queue_delayed gauge\naof_queue_delayed " << stats->delayed << "\n"
        << "# TYPE aof_queue_dlq gauge\naof_queue_dlq " << stats->dlq << "\n";
  }
  return out.str();
}

}  // namespace aof::sidecar
