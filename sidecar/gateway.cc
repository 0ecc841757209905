#include "sidecar/gateway.h"

#include <spdlog/spdlog.h>

#include <shared_mutex>
#include <sstream>

#include "common/base/log.h"
#include "common/config/secrets.h"
#include "common/ingest/ingress.h"
#include "common/ingest/platforms.h"
#include "common/ingest/settings.h"
#include "sidecar/admin.h"
#include "sidecar/blocking_pool.h"
#include "sidecar/deadline_watch.h"
#include "sidecar/ingress_settings.h"
#include "sidecar/spool.h"
#include "sidecar/spool_forwarder.h"

namespace aof::sidecar {
namespace {

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

void counter(std::ostringstream& out, const std::string& platform, const char* outcome,
             std::uint64_t value) {
  out << "aof_sidecar_requests_total{platform=\"" << platform << "\",outcome=\"" << outcome
      << "\"} " << value << "\n";
}

// Webhooks waiting for a pool thread at most (spool appends while the broker is down,
// publishes on NATS); beyond that they are answered 503 at once.
constexpr std::size_t kMaxPoolTasks = 4096;

}  // namespace

struct Gateway::Lifetime {
  std::shared_mutex mu;
  bool alive = true;  // guarded by mu
};

// One webhook of handle_webhook_async between its publish and its answer. Settled exactly
// once: by the broker's answer or by the deadline, whichever comes first.
struct Gateway::Flight {
  std::shared_ptr<const ingest::Ingress> ingress;
  event::Envelope names;
  std::optional<event::Envelope> kept;  // with a spool: the event, should it go there
  Responder respond;
  Millis timeout{0};
  std::atomic<bool> settled{false};
  bool settle() { return !settled.exchange(true, std::memory_order_acq_rel); }
};

Result<std::unique_ptr<Gateway>> Gateway::create(const LoadedDaemon& daemon,
                                                 std::shared_ptr<queue::Queue> queue, Clock& clock,
                                                 const config::EnvLookup& env) {
  auto settings = ingress_settings(daemon, env);
  if (!settings.ok()) return settings.error();
  auto ingress = std::make_shared<const ingest::Ingress>(std::move(*settings), clock);
  // The memory queue lives in this process: a spool would outlive nothing it loses.
  std::unique_ptr<Spool> spool;
  const auto& spool_config = daemon.config.gateway.spool;
  if (std::string_view(queue->backend()) != "memory" && spool_config.max_bytes > 0) {
    auto opened = Spool::open({spool_config.path, spool_config.max_bytes});
    if (!opened.ok()) return opened.error();
    spool = std::move(*opened);
  }
  return std::unique_ptr<Gateway>(
      new Gateway(daemon, std::move(queue), std::move(ingress), std::move(spool), clock));
}

Gateway::Gateway(const LoadedDaemon& daemon, std::shared_ptr<queue::Queue> queue,
                 std::shared_ptr<const ingest::Ingress> ingress, std::unique_ptr<Spool> spool,
                 Clock& clock)
    : config_(daemon.config),
      clock_(clock),
      queue_(std::move(queue)),
      ingress_(std::move(ingress)),
      spool_(std::move(spool)),
      lifetime_(std::make_shared<Lifetime>()),
      pool_(std::make_unique<BlockingPool>(static_cast<std::size_t>(config_.gateway.threads),
                                           kMaxPoolTasks)),
      deadlines_(std::make_unique<DeadlineWatch>()) {
  if (spool_) forwarder_ = std::make_unique<SpoolForwarder>(*spool_, queue_);
}

Gateway::~Gateway() {
  // Broker answers and deadlines arriving from now on find the gateway gone and do nothing;
  // those running finish first. Pool tasks already queued still run (pool_ goes first).
  std::unique_lock lock(lifetime_->mu);
  lifetime_->alive = false;
}

Status Gateway::reload(const LoadedDaemon& daemon, const config::EnvLookup& env) {
  auto settings = ingress_settings(daemon, env);
  if (!settings.ok()) return settings.error();
  const auto old = ingress_.load();
  ingress_.store(std::make_shared<const ingest::Ingress>(std::move(*settings), clock_,
                                                         old->shared_metrics()));
  return ok_status();
}

ingest::IngressResponse Gateway::handle_webhook(const ingest::IngressRequest& request) {
  // One Ingress for the whole request, even if a reload swaps it meanwhile.
  const std::shared_ptr<const ingest::Ingress> ingress = ingress_.load();
  auto decision = ingress->decide(request);
  if (decision.answer) return std::move(*decision.answer);
  return publish_and_wait(*ingress, std::move(*decision.publish));
}

Millis Gateway::ack_timeout(const std::string& platform) const {
  // Slack and Discord give up after 3 s: their events go to the spool sooner.
  const std::int64_t cap = ingest::ack_timeout_cap_ms(platform);
  return Millis(cap > 0 ? std::min<std::int64_t>(cap, config_.gateway.ack_timeout_ms)
                        : config_.gateway.ack_timeout_ms);
}

ingest::IngressResponse Gateway::publish_and_wait(const ingest::Ingress& ingress,
                                                  event::Envelope envelope) {
  // The queue takes the envelope itself (body and metadata are not copied) unless the spool
  // may need it; the answer and the log lines below need only its names.
  const event::Envelope names = names_of(envelope);
  if (forwarder_ && forwarder_->broker_down()) {
    return spool_event(ingress, envelope, names, "the broker is down");
  }
  // With a spool the envelope stays here (the spool may need it); the queue reads it without
  // copying it.
  std::optional<event::Envelope> kept;
  if (spool_) kept = std::move(envelope);
  auto pending = kept ? queue_->publish_kept(*kept) : queue_->publish(std::move(envelope));
  const Millis timeout = ack_timeout(names.platform);
  if (pending.wait_for(timeout) != std::future_status::ready) {
    const std::string why =
        "the broker did not confirm within " + std::to_string(timeout.count()) + " ms";
    if (kept) return spool_event(ingress, *kept, names, why);
    log::get(log::Component::kSidecar)->error("event_id={} platform={} {}", names.id,
                                              names.platform, why);
    return ingress.answer_published(names, ingest::PublishOutcome::kUnavailable);
  }
  const auto published = pending.get();
  if (published.ok()) {
    if (forwarder_) forwarder_->set_broker_up();
    return ingress.answer_published(names, to_outcome(published));
  }
  const ErrorCode code = published.error().code();
  if (kept && code != ErrorCode::kInvalidArgument) {
    return spool_event(ingress, *kept, names, published.error().message());
  }
  log::get(log::Component::kSidecar)
      ->error("event_id={} platform={} publish failed: {}", names.id, names.platform,
              published.error().message());
  return ingress.answer_published(names, to_outcome(published));
}

void Gateway::handle_webhook_async(const ingest::IngressRequest& request, Responder respond) {
  std::shared_ptr<const ingest::Ingress> ingress = ingress_.load();
  auto decision = ingress->decide(request);
  if (decision.answer) return respond(std::move(*decision.answer));
  if (queue_->publishes_without_blocking() && !(forwarder_ && forwarder_->broker_down())) {
    return publish_without_waiting(std::move(ingress), std::move(*decision.publish),
                                   std::move(respond));
  }
  // A publish that blocks (NATS) or a spool append (broker down): on a pool thread.
  const event::Envelope names = names_of(*decision.publish);
  auto task = [this, ingress, respond, envelope = std::move(*decision.publish)]() mutable {
    respond(publish_and_wait(*ingress, std::move(envelope)));
  };
  if (!pool_->run(std::move(task))) {
    log::get(log::Component::kSidecar)
        ->error("event_id={} platform={} not accepted: {} webhooks already wait for a thread",
                names.id, names.platform, kMaxPoolTasks);
    respond(ingress->answer_published(names, ingest::PublishOutcome::kUnavailable));
  }
}

void Gateway::publish_without_waiting(std::shared_ptr<const ingest::Ingress> ingress,
                                      event::Envelope envelope, Responder respond) {
  auto flight = std::make_shared<Flight>();
  flight->ingress = std::move(ingress);
  flight->names = names_of(envelope);
  flight->respond = std::move(respond);
  flight->timeout = ack_timeout(flight->names.platform);
  if (spool_) flight->kept = std::move(envelope);
  // The deadline holds the flight weakly: once answered, its envelope is freed at once.
  deadlines_->watch(flight->timeout,
                    [this, lifetime = lifetime_, weak = std::weak_ptr<Flight>(flight)] {
                      std::shared_lock alive(lifetime->mu);
                      auto due = weak.lock();
                      if (lifetime->alive && due && due->settle()) on_overdue(due);
                    });
  const event::Envelope& published = flight->kept ? *flight->kept : envelope;
  queue_->publish_async(published, [this, lifetime = lifetime_,
                                    flight](Result<queue::PublishReceipt> done) {
    std::shared_lock alive(lifetime->mu);
    if (lifetime->alive && flight->settle()) on_published(flight, std::move(done));
  });
}

void Gateway::on_published(const std::shared_ptr<Flight>& flight,
                           Result<queue::PublishReceipt> done) {
  const ingest::Ingress& ingress = *flight->ingress;
  if (done.ok()) {
    if (forwarder_) forwarder_->set_broker_up();
    return flight->respond(ingress.answer_published(flight->names, to_outcome(done)));
  }
  if (flight->kept && done.error().code() != ErrorCode::kInvalidArgument) {
    return spool_on_pool(flight, done.error().message());
  }
  log::get(log::Component::kSidecar)
      ->error("event_id={} platform={} publish failed: {}", flight->names.id,
              flight->names.platform, done.error().message());
  flight->respond(ingress.answer_published(flight->names, to_outcome(done)));
}

void Gateway::on_overdue(const std::shared_ptr<Flight>& flight) {
  const std::string why =
      "the broker did not confirm within " + std::to_string(flight->timeout.count()) + " ms";
  if (flight->kept) return spool_on_pool(flight, why);
  log::get(log::Component::kSidecar)
      ->error("event_id={} platform={} {}", flight->names.id, flight->names.platform, why);
  flight->respond(
      flight->ingress->answer_published(flight->names, ingest::PublishOutcome::kUnavailable));
}

void Gateway::spool_on_pool(const std::shared_ptr<Flight>& flight, std::string why) {
  const bool queued = pool_->run([this, flight, why = std::move(why)] {
    flight->respond(spool_event(*flight->ingress, *flight->kept, flight->names, why));
  });
  if (queued) return;
  log::get(log::Component::kSidecar)
      ->error("event_id={} platform={} not accepted: {} webhooks already wait for the spool",
              flight->names.id, flight->names.platform, kMaxPoolTasks);
  flight->respond(
      flight->ingress->answer_published(flight->names, ingest::PublishOutcome::kUnavailable));
}

ingest::IngressResponse Gateway::spool_event(const ingest::Ingress& ingress,
                                             const event::Envelope& envelope,
                                             const event::Envelope& names,
                                             const std::string& why) {
  auto log = log::get(log::Component::kSidecar);
  if (!forwarder_->broker_down()) {
    forwarder_->set_broker_down();
    log->warn("broker unavailable ({}): spooling accepted events to {} until it is back", why,
              spool_->dir());
  }
  if (auto appended = spool_->append(event::to_json(envelope)); !appended.ok()) {
    log->error("event_id={} platform={} not accepted: {}", names.id, names.platform,
               appended.error().message());
    const bool full = appended.error().code() == ErrorCode::kResourceExhausted;
    return ingress.answer_published(
        names, full ? ingest::PublishOutcome::kFull : ingest::PublishOutcome::kUnavailable);
  }
  spooled_.fetch_add(1, std::memory_order_relaxed);
  forwarder_->wake();
  log->debug("event_id={} spooled", names.id);
  return ingress.answer_published(names, ingest::PublishOutcome::kAccepted);
}

bool Gateway::ready() const {
  if (draining_.load()) return false;
  return !forwarder_ || !forwarder_->broker_down() || spool_->has_room();
}

HttpHandlers Gateway::handlers() {
  HttpHandlers handlers;
  handlers.webhook = [this](const ingest::IngressRequest& r) { return handle_webhook(r); };
  handlers.webhook_async = [this](const ingest::IngressRequest& r, Responder respond) {
    handle_webhook_async(r, std::move(respond));
  };
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
  options.threads = config_.gateway.threads;
  options.engine = config_.gateway.http_engine == "httplib" ? HttpEngineKind::kHttplib
                                                            : HttpEngineKind::kEventLoop;
  options.max_connections = config_.gateway.max_connections;
  options.keep_alive_timeout_secs = config_.gateway.keep_alive_timeout_secs;
  options.tls_cert_file = config_.gateway.tls.cert_file;
  options.tls_key_file = config_.gateway.tls.key_file;
  return options;
}

std::string Gateway::metrics_text() const {
  const auto ingress = ingress_.load();
  std::ostringstream out;
  out << "# HELP aof_sidecar_requests_total Webhook requests by platform and outcome.\n"
      << "# TYPE aof_sidecar_requests_total counter\n";
  for (const auto& [platform, counters] : ingress->metrics().by_platform()) {
    for (int i = 0; i < ingest::kRequestOutcomes; ++i) {
      const auto outcome = static_cast<ingest::RequestOutcome>(i);
      counter(out, platform, ingest::to_string(outcome), counters.value(outcome));
    }
  }
  if (spool_) {
    out << "# HELP aof_sidecar_spooled_total Accepted events written to the local spool.\n"
        << "# TYPE aof_sidecar_spooled_total counter\n"
        << "aof_sidecar_spooled_total " << spooled_.load() << "\n"
        << "# TYPE aof_sidecar_spool_forwarded_total counter\n"
        << "aof_sidecar_spool_forwarded_total " << forwarder_->forwarded() << "\n"
        << "# TYPE aof_sidecar_spool_rejected_total counter\n"
        << "aof_sidecar_spool_rejected_total " << forwarder_->rejected() << "\n"
        << "# TYPE aof_sidecar_spool_pending_events gauge\n"
        << "aof_sidecar_spool_pending_events " << spool_->pending_records() << "\n"
        << "# TYPE aof_sidecar_spool_pending_bytes gauge\n"
        << "aof_sidecar_spool_pending_bytes " << spool_->pending_bytes() << "\n"
        << "# TYPE aof_sidecar_broker_up gauge\n"
        << "aof_sidecar_broker_up " << (forwarder_->broker_down() ? 0 : 1) << "\n";
  }
  if (auto stats = queue_->stats(); stats.ok()) {
    out << "# TYPE aof_queue_depth gauge\naof_queue_depth " << stats->depth << "\n"
        << "# TYPE aof_queue_pending gauge\naof_queue_pending " << stats->pending << "\n"
        << "# TYPE aof_queue_delayed gauge\naof_queue_delayed " << stats->delayed << "\n"
        << "# TYPE aof_queue_dlq gauge\naof_queue_dlq " << stats->dlq << "\n";
  }
  return out.str();
}

}  // namespace aof::sidecar
