#include "cli/commands/worker_role.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <sstream>
#include <utility>

#include "common/base/log.h"
#include "common/runtime/approval/approval_job.h"
#include "common/runtime/executor.h"
#include "common/runtime/report/reporting_job.h"
#include "common/runtime/tools/registry.h"
#include "common/runtime/worker.h"
#include "sidecar/admin.h"
#include "sidecar/http_server.h"
#include "sidecar/httplib_client.h"

namespace aof::cli {
namespace {

std::string default_consumer() {
  char host[256] = "worker";
  gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(getpid());
}

// What a reload swaps: the executor and the report-back job around it (platform tokens and
// api_urls come from the same config). Each job runs to its end on the one it started with.
struct Running {
  std::shared_ptr<const runtime::Executor> executor;
  runtime::Job job;  // the executor's run, reported back effect-once (report/reporting_job.h)
};
using RunningSlot = std::atomic<std::shared_ptr<const Running>>;

runtime::Job make_job(std::shared_ptr<RunningSlot> slot) {
  return [slot](const event::Envelope& envelope, const runtime::JobContext& job, bool* permanent) {
    const auto running = slot->load();
    return running->job(envelope, job, permanent);
  };
}

// What agents need from this process: outbound HTTP for the LLM calls and the http_request
// tool (one client shared by every executor a reload makes; the tools factory holds it, so
// it outlives the tools built from it), the environment for API keys and base URLs, and the
// built-in tools with the worker's $PATH, and the broker's state store for agents'
// conversation memory.
runtime::ExecutorDeps executor_deps(std::shared_ptr<queue::StateStore> state) {
  runtime::ExecutorDeps deps;
  deps.state = std::move(state);
  auto http = std::make_shared<const sidecar::HttplibClient>();
  deps.http = http;
  deps.env = config::process_env();
  deps.tools_for_agent = [http](const config::Agent& agent) {
    return runtime::tools::tools_for_agent(agent, runtime::tools::ToolDeps{http.get(), ""});
  };
  return deps;
}

// Approval requests go out through the report-back clients, as written (no ✅/❌).
runtime::approval::Approvals::Poster approval_poster(
    std::shared_ptr<const runtime::report::Reporter> reporter) {
  return [reporter](const event::Envelope& where, const std::string& text) -> Result<std::string> {
    auto posted = reporter->post(where, runtime::report::ReportText{true, text, false});
    if (!posted.ok()) return posted.error();
    if (posted->outcome == runtime::report::Outcome::kRefused) {
      return Error(ErrorCode::kInvalidArgument,
                   where.platform + " refused the approval request (the worker log says why)");
    }
    return posted->message_id;
  };
}

std::vector<std::string> slack_approvers(const config::DaemonConfig& config) {
  const auto slack = config.platforms.find("slack");
  return slack == config.platforms.end() ? std::vector<std::string>{}
                                         : slack->second.approval_allowed_users;
}

std::shared_ptr<const Running> make_running(
    const sidecar::LoadedDaemon& daemon, Clock& clock, const runtime::ExecutorDeps& deps,
    const std::shared_ptr<queue::StateStore>& state,
    const std::shared_ptr<runtime::report::ReportCounters>& counters) {
  auto reporter = std::make_shared<const runtime::report::Reporter>(daemon.config.platforms,
                                                                    deps.http, deps.env);
  auto approvals =
      std::make_shared<runtime::approval::Approvals>(state, clock, approval_poster(reporter));
  // Flows' Slack and Discord nodes post with the reporter's clients and tokens, so the
  // executor holds no platform configuration and a reload refreshes both together.
  runtime::ExecutorDeps with_messages = deps;
  with_messages.approvals = approvals;
  with_messages.send_message = [reporter](const runtime::ChatMessage& m) {
    return reporter->send_message(m.platform, {m.channel, m.text, m.thread, m.blocks});
  };
  auto executor = std::make_shared<const runtime::Executor>(daemon.resources, daemon.config.runtime,
                                                            clock, std::move(with_messages));
  runtime::Job run = [executor](const event::Envelope& envelope, const runtime::JobContext& job,
                                bool* permanent) {
    return executor->execute(envelope, runtime::ExecutionContext{job.worker, job.cancelled},
                             permanent);
  };
  runtime::Job reported = runtime::report::reporting_job(
      std::move(run), reporter, state, daemon.config.queue.max_retries, counters);
  return std::make_shared<const Running>(
      Running{executor, runtime::approval::approval_job(
                            std::move(reported),
                            {approvals, reporter, slack_approvers(daemon.config), &clock})});
}

runtime::WorkerOptions worker_options(const config::DaemonConfig& config, std::string consumer,
                                      std::shared_ptr<queue::StateStore> state,
                                      std::shared_ptr<queue::Queue> queue, Clock& clock) {
  runtime::WorkerOptions options;
  // Approvals past their deadline are denied by a decision event this sweep queues.
  auto sweep = std::make_shared<runtime::approval::Approvals>(state, clock, nullptr);
  options.housekeeping = [sweep, queue, &clock] {
    runtime::approval::publish_due_timeouts(*sweep, *queue, clock);
  };
  options.pause_state = std::move(state);
  options.consumer = consumer.empty() ? default_consumer() : std::move(consumer);
  options.concurrency = config.worker.concurrency;
  options.prefetch = config.worker.prefetch;
  options.lease = Millis(config.queue.lease_ms);
  options.drain_grace = std::chrono::seconds(config.worker.drain_grace_secs);
  return options;
}

// Report-backs by outcome (report/reporting_job.h).
std::string report_metrics(const runtime::report::ReportCounters& r) {
  std::ostringstream out;
  out << "# HELP aof_worker_reports_total Results reported back to platforms, by outcome.\n"
      << "# TYPE aof_worker_reports_total counter\n";
  const std::pair<const char*, const std::atomic<long long>*> outcomes[] = {
      {"posted", &r.posted},   {"skipped", &r.skipped},         {"refused", &r.refused},
      {"retried", &r.retried}, {"unconfirmed", &r.unconfirmed}, {"deduplicated", &r.deduplicated}};
  for (const auto& [outcome, count] : outcomes) {
    out << "aof_worker_reports_total{outcome=\"" << outcome << "\"} " << count->load() << "\n";
  }
  return out.str();
}

// DESIGN §9 names; outcomes as the worker counts them.
std::string prometheus_text(const runtime::Worker::Counters& c, int concurrency) {
  std::ostringstream out;
  out << "# HELP aof_worker_events_total Deliveries finished by outcome.\n"
      << "# TYPE aof_worker_events_total counter\n"
      << "aof_worker_events_total{outcome=\"succeeded\"} " << c.succeeded << "\n"
      << "aof_worker_events_total{outcome=\"failed\"} " << c.failed << "\n"
      << "aof_worker_events_total{outcome=\"released\"} " << c.released << "\n"
      << "aof_worker_events_total{outcome=\"lease_lost\"} " << c.lease_lost << "\n"
      << "# HELP aof_worker_busy_slots Executions running now.\n"
      << "# TYPE aof_worker_busy_slots gauge\naof_worker_busy_slots " << c.busy << "\n"
      << "# HELP aof_worker_prefetched Deliveries held, waiting for a free slot.\n"
      << "# TYPE aof_worker_prefetched gauge\naof_worker_prefetched " << c.prefetched << "\n"
      << "# HELP aof_worker_concurrency Execution slots of this process.\n"
      << "# TYPE aof_worker_concurrency gauge\naof_worker_concurrency " << concurrency << "\n"
      << "# HELP aof_worker_paused 1 while aof drain pauses this worker.\n"
      << "# TYPE aof_worker_paused gauge\naof_worker_paused " << (c.paused ? 1 : 0) << "\n";
  return out.str();
}

ingest::IngressResponse not_found(const ingest::IngressRequest&) {
  ingest::IngressResponse response;
  response.status = 404;
  response.body = R"({"error":"a worker takes no webhooks; send them to aof-sidecar"})";
  return response;
}

}  // namespace

class WorkerRole::Impl {
 public:
  Impl(const sidecar::LoadedDaemon& daemon, const queue::Broker& broker, Clock& clock,
       std::string consumer)
      : queue_(broker.queue),
        concurrency_(daemon.config.worker.concurrency),
        clock_(clock),
        state_(broker.state),
        deps_(executor_deps(broker.state)),
        running_(std::make_shared<RunningSlot>(
            make_running(daemon, clock, deps_, state_, report_counters_))),
        worker_(broker.queue, make_job(running_),
                worker_options(daemon.config, std::move(consumer), broker.state, broker.queue,
                               clock)) {}

  void reload(const sidecar::LoadedDaemon& daemon) {
    running_->store(make_running(daemon, clock_, deps_, state_, report_counters_));
  }

  // Creates the listener when worker.port is set; nothing is served until start().
  Status listen(const config::DaemonConfig& config) {
    if (config.worker.port == 0) return ok_status();
    host_ = config.server.host;
    sidecar::HttpOptions options;
    options.host = host_;
    options.port = config.worker.port;
    options.threads = 4;  // probes and scrapes only
    options.max_body_bytes = 65536;
    sidecar::HttpHandlers handlers;
    handlers.webhook = not_found;
    handlers.ready = [this] { return !draining_.load(); };
    handlers.metrics = [this] { return metrics(); };
    handlers.admin = [this](const ingest::IngressRequest& r) {
      return sidecar::handle_admin(*queue_, r);
    };
    server_ = std::make_unique<sidecar::HttpServer>(options, std::move(handlers));
    if (auto bound = server_->bind(); !bound.ok()) {
      return Error(ErrorCode::kInternal, "spec.worker.port: " + bound.error().message());
    }
    return ok_status();
  }

  void start() {
    worker_.start();
    if (!server_) return;
    server_->start();
    log::get(log::Component::kWorker)
        ->info("worker listening on http://{}:{}", host_, server_->port());
  }

  void set_draining() { draining_ = true; }
  std::string metrics() const {
    return prometheus_text(worker_.counters(), concurrency_) + report_metrics(*report_counters_);
  }

  int drain() {
    draining_ = true;
    const int released = worker_.drain();
    if (server_) server_->stop();
    return released;
  }

 private:
  std::shared_ptr<queue::Queue> queue_;
  int concurrency_;
  Clock& clock_;
  std::shared_ptr<queue::StateStore> state_;  // the effect journal (and the pause)
  // Shared by the jobs every reload makes. Declared before running_, which uses it.
  std::shared_ptr<runtime::report::ReportCounters> report_counters_ =
      std::make_shared<runtime::report::ReportCounters>();
  runtime::ExecutorDeps deps_;  // shared by every executor a reload makes
  std::shared_ptr<RunningSlot> running_;
  runtime::Worker worker_;
  std::string host_;
  std::atomic<bool> draining_{false};
  std::unique_ptr<sidecar::HttpServer> server_;  // last: its handlers use the members above
};

Result<std::unique_ptr<WorkerRole>> WorkerRole::create(const sidecar::LoadedDaemon& daemon,
                                                       const queue::Broker& broker, Clock& clock,
                                                       std::string consumer) {
  auto impl = std::make_unique<Impl>(daemon, broker, clock, std::move(consumer));
  if (auto listening = impl->listen(daemon.config); !listening.ok()) return listening.error();
  return std::unique_ptr<WorkerRole>(new WorkerRole(std::move(impl)));
}

WorkerRole::WorkerRole(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WorkerRole::~WorkerRole() { impl_->drain(); }
void WorkerRole::start() { impl_->start(); }
void WorkerRole::set_draining() { impl_->set_draining(); }
void WorkerRole::reload(const sidecar::LoadedDaemon& daemon) { impl_->reload(daemon); }
std::string WorkerRole::metrics_text() const { return impl_->metrics(); }
int WorkerRole::drain() { return impl_->drain(); }

}  // namespace aof::cli
