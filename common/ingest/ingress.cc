#include "common/ingest/ingress.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "common/base/log.h"
#include "common/ingest/answers.h"
#include "common/ingest/github.h"
#include "common/ingest/github_envelope.h"
#include "common/ingest/platform_auth.h"
#include "common/ingest/platform_envelope.h"
#include "common/ingest/platforms.h"
#include "common/ingest/platforms/request_read.h"
#include "common/ingest/routing.h"
#include "common/ingest/slack.h"
#include "common/ingest/slack_envelope.h"
#include "common/ingest/verify/slack.h"

namespace aof::ingest {
namespace {

std::optional<std::string_view> header(const IngressRequest& request, const char* name) {
  const auto it = request.headers.find(name);
  if (it == request.headers.end()) return std::nullopt;
  return std::string_view(it->second);
}

// GitHub sends a GUID; anything printable and short is kept as the dedup key (absent: the
// body's hash is).
bool valid_delivery_id(std::string_view id) { return id.empty() || is_token(id); }

std::int64_t unix_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

IngressResponse pong(const GithubPayload& payload) {
  return json_answer(200, {{"status", "pong"}, {"zen", payload.text(GithubField::kZen)}});
}

// Slack wants 200: a slash command's body is shown to its user, so it stays empty (the
// agent's answer comes later, in the channel); events get the usual JSON.
IngressResponse slack_accepted(const event::Envelope& envelope) {
  if (envelope.event == "slash_command") {
    IngressResponse response;
    response.status = 200;
    response.content_type = "text/plain";
    return response;
  }
  return accepted_answer(200, envelope.id);
}

FilterSubject subject_of(const PlatformMessage& message) {
  FilterSubject subject;
  subject.event = message.event;
  subject.event_keys = message.binding_keys;
  subject.channel_id = message.channel_id;
  subject.user_id = message.user.value("id", "");
  subject.user_name = message.user.value("username", "");
  subject.text = message.text;
  subject.repository = message.repository;
  subject.guild_id = message.metadata.value("guild_id", "");
  subject.service_id = message.metadata.value("service_id", "");
  return subject;
}

// The admitted triggers whose filters take the message; `refusal` says why the last one
// did not, for the ignored answer when none does.
std::vector<const config::Trigger*> filtered(const std::vector<const TriggerSettings*>& admitted,
                                             const FilterSubject& subject, std::string& refusal) {
  std::vector<const config::Trigger*> out;
  for (const TriggerSettings* t : admitted) {
    std::string why = t->filters.refusal(subject);
    if (why.empty()) {
      out.push_back(&t->trigger);
    } else {
      refusal = "trigger " + t->trigger.name + ": " + why;
    }
  }
  return out;
}

FilterSubject subject_of(const SlackRequest& message) {
  FilterSubject subject;
  subject.event = message.event;
  subject.channel_id = message.channel_id;
  subject.user_id = message.user.value("id", "");
  subject.user_name = message.user.value("username", "");
  subject.text = message.text;
  subject.command = message.event == "slash_command" || message.event == "block_actions";
  return subject;
}

FilterSubject subject_of(const GithubMessage& message) {
  FilterSubject subject;
  subject.event = message.event;
  if (!message.action.empty()) subject.event_keys = {message.event + "." + message.action};
  subject.channel_id = message.channel_id;
  subject.user_id = message.user.value("id", "");
  subject.user_name = message.user.value("username", "");
  subject.text = message.text;
  subject.repository = message.repo_full_name;
  return subject;
}

bool is_own_message(const PlatformSettings& platform, const PlatformMessage& message) {
  if (platform.bot_name.empty()) return false;
  return message.user.value("username", "") == platform.bot_name ||
         message.user.value("id", "") == platform.bot_name;
}

// The publish decision, with why this target (for `aof trigger test` and debug logs).
Ingress::Decision routed_to(const Route& route, event::Envelope envelope) {
  std::string why = route.binding == "default_agent"
                        ? "no command binding matched; runtime.default_agent takes chat messages"
                        : "binding " + route.binding + " of trigger " + route.trigger;
  return Ingress::Decision{std::nullopt, std::move(envelope), std::move(why)};
}

IngressResponse not_a_post() {
  IngressResponse response = error_answer(405, "method not allowed: use POST");
  response.headers["Allow"] = "POST";
  return response;
}

}  // namespace

Ingress::Ingress(IngressSettings settings, const Clock& clock,
                 std::shared_ptr<IngressMetrics> metrics)
    : settings_(std::move(settings)),
      clock_(clock),
      log_(log::get(log::Component::kIngest)),
      metrics_(metrics ? std::move(metrics) : std::make_shared<IngressMetrics>()) {}

Ingress::~Ingress() = default;

Ingress::Decision Ingress::answer(IngressResponse response, RequestOutcome outcome) {
  Decision decision;
  decision.answer = std::move(response);
  decision.outcome = outcome;
  return decision;
}

// Answers are counted here, once; publishes when the broker replied (answer_published).
Ingress::Decision Ingress::decide(const IngressRequest& request) const {
  Decision decision = decide_uncounted(request);
  if (decision.answer) metrics_->count(request.platform, decision.outcome);
  return decision;
}

Ingress::Decision Ingress::decide_uncounted(const IngressRequest& request) const {
  if (request.platform == "github" && settings_.github.enabled) return decide_github(request);
  if (request.platform == "slack" && settings_.slack.enabled) return decide_slack(request);
  if (const PlatformAdapter* adapter = find_platform_adapter(request.platform)) {
    const auto platform = settings_.platforms.find(request.platform);
    if (platform != settings_.platforms.end() && platform->second.enabled) {
      return decide_platform(*adapter, platform->second, request);
    }
  }
  return answer(error_answer(404, "unknown platform: " + request.platform),
                RequestOutcome::kNotFound);
}

std::optional<Ingress::Decision> Ingress::refuse_early(const IngressRequest& request) const {
  if (request.method != "POST") return answer(not_a_post(), RequestOutcome::kMalformed);
  if (static_cast<std::int64_t>(request.body.size()) > settings_.max_body_bytes) {
    const std::string limit = std::to_string(settings_.max_body_bytes);
    return answer(error_answer(413, "body exceeds " + limit + " bytes"), RequestOutcome::kTooLarge);
  }
  return std::nullopt;
}

// Slack: verify (v0 signature, 5-minute window) before parsing, then the handshake, then
// route. Slack wants 200 within 3 s; what it hears is set in answer_published.
Ingress::Decision Ingress::decide_slack(const IngressRequest& request) const {
  if (auto refused = refuse_early(request)) return std::move(*refused);
  const TimePoint now = clock_.now();
  const PlatformAuth auth = authorize_platform(
      settings_.slack.secrets, settings_.slack.insecure, settings_.slack.triggers,
      [&](const verify::Secrets& secrets) {
        return verify::verify_slack(request.headers, request.body, secrets, unix_seconds(now));
      });
  if (!auth.authenticated) {
    log_->debug("refused slack request from {}: {}", request.remote_addr,
                verify::to_string(auth.refused));
    return answer(error_answer(401, "invalid signature"), RequestOutcome::kUnauthorized);
  }
  const auto content_type = request.headers.find("content-type");
  auto parsed =
      parse_slack(content_type == request.headers.end() ? std::string_view() : content_type->second,
                  request.body);
  if (!parsed.ok())
    return answer(error_answer(400, parsed.error().message()), RequestOutcome::kMalformed);
  switch (parsed->kind) {
    case SlackRequest::Kind::kUrlVerification:
      return answer(json_answer(200, {{"challenge", parsed->challenge}}), RequestOutcome::kPong);
    case SlackRequest::Kind::kIgnored:
      return answer(ignored_answer(parsed->ignored_reason), RequestOutcome::kIgnored);
    case SlackRequest::Kind::kMessage:
      break;
  }
  std::string refusal;
  const auto triggers = filtered(auth.admitted, subject_of(*parsed), refusal);
  // A reaction is not a message to an agent (every emoji would cost a model call): it runs
  // only what binds reaction_added, or decides a paused approval.
  RouteResult routed =
      parsed->event == "reaction_added"
          ? route_reaction(triggers, parsed->text, parsed->metadata)
          : route_chat(triggers, parsed->command, parsed->text, parsed->metadata,
                       settings_.default_agent);
  if (!routed.route && triggers.empty() && !refusal.empty()) routed.ignored_reason = refusal;
  if (!routed.route) {
    log_->debug("ignored slack {} for tenant={}: {}", parsed->event, parsed->team_id,
                routed.ignored_reason);
    return answer(ignored_answer(routed.ignored_reason), RequestOutcome::kIgnored);
  }
  return routed_to(*routed.route, slack_envelope(request, std::move(*parsed), *routed.route, now));
}

// Every adapter platform: the signature before the body is parsed, so unauthenticated bytes
// never reach the JSON parser; then the handshake, then routing.
Ingress::Decision Ingress::decide_platform(const PlatformAdapter& adapter,
                                           const PlatformSettings& platform,
                                           const IngressRequest& request) const {
  if (request.method == "GET" && adapter.get != nullptr) {
    const IngressResponse response = adapter.get(platform, request);
    return answer(response,
                  response.status == 200 ? RequestOutcome::kPong : RequestOutcome::kUnauthorized);
  }
  if (auto refused = refuse_early(request)) return std::move(*refused);
  const TimePoint now = clock_.now();
  const PlatformAuth auth = authorize_platform(
      platform.secrets, platform.insecure, platform.triggers, [&](const verify::Secrets& secrets) {
        return adapter.verify(platform, request.headers, request.body, secrets, unix_seconds(now));
      });
  if (!auth.authenticated) {
    log_->debug("refused {} request from {}: {}", platform.name, request.remote_addr,
                verify::to_string(auth.refused));
    return answer(error_answer(401, "invalid signature"), RequestOutcome::kUnauthorized);
  }
  auto parsed = adapter.parse(platform, request);
  if (!parsed.ok())
    return answer(error_answer(400, parsed.error().message()), RequestOutcome::kMalformed);
  switch (parsed->kind) {
    case PlatformMessage::Kind::kHandshake:
      return answer(parsed->handshake, RequestOutcome::kPong);
    case PlatformMessage::Kind::kIgnored:
      return answer(adapter.ignored ? adapter.ignored(parsed->ignored_reason)
                                    : ignored_answer(parsed->ignored_reason),
                    RequestOutcome::kIgnored);
    case PlatformMessage::Kind::kMessage:
      break;
  }
  return route_platform(adapter, platform, request, std::move(*parsed), auth.admitted, now);
}

Ingress::Decision Ingress::route_platform(const PlatformAdapter& adapter,
                                          const PlatformSettings& platform,
                                          const IngressRequest& request, PlatformMessage message,
                                          const std::vector<const TriggerSettings*>& admitted,
                                          TimePoint now) const {
  const auto ignore = [&](const std::string& reason) {
    log_->debug("ignored {} {} for tenant={}: {}", platform.name, message.event, message.tenant,
                reason);
    return answer(adapter.ignored ? adapter.ignored(reason) : ignored_answer(reason),
                  RequestOutcome::kIgnored);
  };
  if (adapter.denied != nullptr) {
    if (auto why = adapter.denied(platform, message)) return ignore(*why);
  }
  if (is_own_message(platform, message)) {
    return ignore("written by " + platform.bot_name + " (an agent never triggers itself)");
  }
  std::string refusal;
  const auto triggers = filtered(admitted, subject_of(message), refusal);
  RouteResult routed = adapter.routing == Routing::kChat
                           ? route_chat(triggers, message.command, message.text, message.metadata,
                                        settings_.default_agent)
                           : route_event(triggers, message);
  if (!routed.route)
    return ignore(triggers.empty() && !refusal.empty() ? refusal : routed.ignored_reason);
  return routed_to(*routed.route,
                   platform_envelope(adapter, request, std::move(message), *routed.route, now));
}

// Cheap checks first; the signature before the body is parsed, so unauthenticated bytes
// never reach the JSON parser.
Ingress::Decision Ingress::decide_github(const IngressRequest& request) const {
  if (auto refused = refuse_early(request)) return std::move(*refused);
  const std::string event(header(request, "x-github-event").value_or(""));
  if (event.empty()) {
    return answer(error_answer(400, "missing X-GitHub-Event header"), RequestOutcome::kMalformed);
  }
  if (!is_valid_github_event_name(event)) {
    return answer(error_answer(400, "invalid X-GitHub-Event header"), RequestOutcome::kMalformed);
  }
  if (!valid_delivery_id(header(request, "x-github-delivery").value_or(""))) {
    return answer(error_answer(400, "invalid X-GitHub-Delivery header"),
                  RequestOutcome::kMalformed);
  }
  const TimePoint now = clock_.now();
  const GithubAuth auth =
      authorize_github(settings_.github, request.headers, request.body, unix_seconds(now));
  if (!auth.authenticated) {
    log_->debug("refused github delivery from {}: {}", request.remote_addr,
                verify::to_string(auth.refused));
    return answer(error_answer(401, "invalid signature"), RequestOutcome::kUnauthorized);
  }
  return route_payload(request, event, auth.admitted, now);
}

Ingress::Decision Ingress::route_payload(const IngressRequest& request, const std::string& event,
                                         const std::vector<const TriggerSettings*>& admitted,
                                         TimePoint now) const {
  // Only the fields routing and the envelope need are read from the body (github_payload.h).
  const Result<GithubPayload> payload = GithubPayload::parse(request.body);
  if (!payload.ok())
    return answer(error_answer(400, payload.error().message()), RequestOutcome::kMalformed);
  if (event == "ping") return answer(pong(*payload), RequestOutcome::kPong);
  Result<GithubMessage> message = normalize_github(event, *payload);
  if (!message.ok())
    return answer(error_answer(400, message.error().message()), RequestOutcome::kMalformed);
  if (!repo_allowed(settings_.github.allowed_repos, message->repo_full_name)) {
    const std::string reason =
        "repository " + message->repo_full_name + " is not in platforms.github.allowed_repos";
    return answer(ignored_answer(reason), RequestOutcome::kIgnored);
  }
  std::string refusal;
  const auto triggers = filtered(admitted, subject_of(*message), refusal);
  RouteResult routed = route_github(triggers, *message);
  if (!routed.route && triggers.empty() && !refusal.empty()) routed.ignored_reason = refusal;
  if (!routed.route) {
    log_->debug("ignored github {} for tenant={}: {}", event, message->tenant,
                routed.ignored_reason);
    return answer(ignored_answer(routed.ignored_reason), RequestOutcome::kIgnored);
  }
  return routed_to(*routed.route,
                   github_envelope(request, std::move(*message), *routed.route, now));
}

IngressResponse Ingress::answer_published(const event::Envelope& envelope, PublishOutcome outcome,
                                          std::string_view existing_event_id) const {
  switch (outcome) {
    case PublishOutcome::kAccepted:
      metrics_->count(envelope.platform, RequestOutcome::kAccepted);
      log_->info("accepted event_id={} platform={} tenant={} trigger={}", envelope.id,
                 envelope.platform, envelope.tenant, envelope.trigger);
      if (envelope.platform == "slack") return slack_accepted(envelope);
      if (const PlatformAdapter* adapter = find_platform_adapter(envelope.platform);
          adapter != nullptr && adapter->accepted != nullptr) {
        return adapter->accepted(envelope);
      }
      return accepted_answer(202, envelope.id);
    case PublishOutcome::kDuplicate: {
      metrics_->count(envelope.platform, RequestOutcome::kDuplicate);
      const std::string id =
          existing_event_id.empty() ? envelope.id : std::string(existing_event_id);
      return json_answer(200, {{"status", "duplicate"}, {"event_id", id}});
    }
    case PublishOutcome::kUnavailable:
      metrics_->count(envelope.platform, RequestOutcome::kUnavailable);
      return unavailable_answer("event queue unavailable; retry later");
    case PublishOutcome::kFull:
      metrics_->count(envelope.platform, RequestOutcome::kUnavailable);
      return unavailable_answer("event queue full; retry later");
    case PublishOutcome::kInvalid:
      break;
  }
  metrics_->count(envelope.platform, RequestOutcome::kFailed);
  log_->error("event_id={} platform={} was refused by the queue as invalid", envelope.id,
              envelope.platform);
  return error_answer(500, "event could not be queued");
}

}  // namespace aof::ingest
