// Slack through the ingress (issue 6 items 2, 3, 5): the v0 signature with its 5-minute
// window before anything is parsed, the url_verification handshake, events, slash commands
// and interactions normalised as AOF does (reference §3.2), AOF's chat routing with
// runtime.default_agent, per-trigger secrets and `events` filters, bots ignored, and the
// answers Slack expects.
#include <doctest/doctest.h>

#include "common/base/clock.h"
#include "common/ingest/ingress.h"
#include "common/ingest/slack.h"
#include "tests/unit/ingest/ingest_test_support.h"

namespace aof::ingest {
namespace {

using nlohmann::json;
using testing::agent;
using testing::flow;
using testing::secret;

constexpr const char* kSigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr std::int64_t kNow = 1700000000;  // FakeClock's start

std::string slack_signature(const std::string& secret_bytes, std::int64_t ts,
                            const std::string& body) {
  return "v0=" + hex_encode(hmac_sha256(secret_bytes, "v0:" + std::to_string(ts) + ":" + body));
}

IngressRequest slack_request(const std::string& body, const std::string& content_type,
                             const std::string& signing_secret = kSigningSecret,
                             std::int64_t ts = kNow) {
  IngressRequest r = testing::webhook_request("slack", body, content_type);
  r.headers["x-slack-request-timestamp"] = std::to_string(ts);
  if (!signing_secret.empty()) {
    r.headers["x-slack-signature"] = slack_signature(signing_secret, ts, body);
  }
  return r;
}

IngressRequest event_request(const json& event, const std::string& event_id = "Ev1") {
  const json body = {{"type", "event_callback"}, {"team_id", "T1"},
                     {"event_id", event_id},     {"event", event}};
  return slack_request(body.dump(), "application/json");
}

config::Trigger slack_trigger(const std::string& name,
                              std::map<std::string, config::CommandBinding> commands,
                              json config = json::object()) {
  config::Trigger t;
  t.name = name;
  t.type = "Slack";
  t.commands = std::move(commands);
  t.config = std::move(config);
  return t;
}

IngressSettings slack_settings() {
  IngressSettings s;
  s.slack.enabled = true;
  s.slack.secrets = {secret(kSigningSecret, "env SLACK_SIGNING_SECRET")};
  s.slack.triggers.push_back(testing::trigger_settings(
      slack_trigger("ops", {{"deploy", flow("deploy-flow")}, {"status", agent("devops")}})));
  s.default_agent = "helper";
  return s;
}

struct Harness : testing::IngressHarness {
  explicit Harness(IngressSettings settings = slack_settings())
      : IngressHarness(std::move(settings)) {}
};

}  // namespace

TEST_CASE("slack: url_verification is answered with the challenge, only when signed") {
  Harness h;
  const std::string body = R"({"token":"x","challenge":"3eZbrw1aB","type":"url_verification"})";
  const auto ok = h.answer(slack_request(body, "application/json"));
  CHECK(ok.status == 200);
  CHECK(json::parse(ok.body)["challenge"] == "3eZbrw1aB");
  CHECK(h.answer(slack_request(body, "application/json", "wrong-secret")).status == 401);
  CHECK(h.answer(slack_request(body, "application/json", "")).status == 401);
}

TEST_CASE("slack: a timestamp outside 5 minutes is refused (replay protection)") {
  Harness h;
  const std::string body = R"({"type":"url_verification","challenge":"c"})";
  CHECK(h.answer(slack_request(body, "application/json", kSigningSecret, kNow - 301)).status ==
        401);
  CHECK(h.answer(slack_request(body, "application/json", kSigningSecret, kNow + 301)).status ==
        401);
  CHECK(h.answer(slack_request(body, "application/json", kSigningSecret, kNow - 299)).status ==
        200);
}

TEST_CASE("slack: an app_mention with no command goes to runtime.default_agent") {
  Harness h;
  const auto e = h.envelope(event_request({{"type", "app_mention"},
                                           {"user", "U1"},
                                           {"text", "<@U0BOT> why is prod slow?"},
                                           {"ts", "1700000000.000100"},
                                           {"channel", "C1"}}));
  CHECK(e.platform == "slack");
  CHECK(e.event == "app_mention");
  CHECK(e.tenant == "T1");
  CHECK(e.dedup_key == "slack:Ev1");
  CHECK(e.delivery_id == "Ev1");
  CHECK(e.target.kind == event::TargetKind::kAgent);
  CHECK(e.target.name == "helper");
  CHECK(e.trigger == "runtime.default_agent");
  CHECK(e.text == "<@U0BOT> why is prod slow?");
  CHECK(e.channel_id == "C1");
  CHECK(e.thread_id == "1700000000.000100");
  CHECK(e.metadata["team_id"] == "T1");
  CHECK(e.user["id"] == "U1");
  // Slack hears 200, not 202.
  const auto accepted = h.ingress.answer_published(e, PublishOutcome::kAccepted);
  CHECK(accepted.status == 200);
  CHECK(json::parse(accepted.body)["event_id"] == e.id);
}

TEST_CASE("slack: a /word in a message and a slash command use the trigger's bindings") {
  Harness h;
  const auto typed = h.envelope(event_request(
      {{"type", "message"}, {"user", "U1"}, {"text", "/status api"}, {"ts", "1.2"},
       {"thread_ts", "1.1"}, {"channel", "C1"}}));
  CHECK(typed.target.name == "devops");
  CHECK(typed.text == "api");
  CHECK(typed.thread_id == "1.1");

  const std::string form =
      "token=x&team_id=T1&channel_id=C2&channel_name=ops&user_id=U2&user_name=ana"
      "&command=%2Fdeploy&text=payments+to+prod%21&response_url=https%3A%2F%2Fhooks.slack.com%2Fx"
      "&trigger_id=13345224609.738474920.8088930838d88f008e0";
  const auto slash = h.envelope(slack_request(form, "application/x-www-form-urlencoded"));
  CHECK(slash.event == "slash_command");
  CHECK(slash.target.kind == event::TargetKind::kAgentFlow);
  CHECK(slash.target.name == "deploy-flow");
  CHECK(slash.text == "payments to prod!");
  CHECK(slash.dedup_key == "slack:13345224609.738474920.8088930838d88f008e0");
  CHECK(slash.metadata["command"] == "/deploy");
  CHECK(slash.metadata["response_url"] == "https://hooks.slack.com/x");
  CHECK(slash.user["username"] == "ana");
  // A slash command's answer body is shown to the user: empty.
  const auto accepted = h.ingress.answer_published(slash, PublishOutcome::kAccepted);
  CHECK(accepted.status == 200);
  CHECK(accepted.body.empty());
}

TEST_CASE("slack: bots, edits and unhandled events are ignored with 200, malformed is 400") {
  Harness h;
  const auto bot = h.answer(event_request(
      {{"type", "message"}, {"bot_id", "B1"}, {"text", "done"}, {"ts", "1"}, {"channel", "C"}}));
  CHECK(bot.status == 200);
  CHECK(json::parse(bot.body)["status"] == "ignored");
  CHECK(h.answer(event_request({{"type", "message"}, {"subtype", "message_changed"},
                                {"user", "U"}, {"ts", "1"}, {"channel", "C"}}))
            .status == 200);
  CHECK(h.answer(event_request({{"type", "app_home_opened"}, {"user", "U"}})).status == 200);
  CHECK(h.answer(event_request({{"type", "message"}, {"text", "no user"}})).status == 400);
  CHECK(h.answer(slack_request("{not json", "application/json")).status == 400);
  CHECK(h.answer(slack_request("command=%2Fdeploy&user_id=U", "application/x-www-form-urlencoded"))
            .status == 400);
  CHECK(h.answer(slack_request("command=%2&user_id=U", "application/x-www-form-urlencoded"))
            .status == 400);
}

TEST_CASE("slack: block_actions interactions route like messages") {
  Harness h;
  const json payload = {{"type", "block_actions"},
                        {"trigger_id", "tr-1"},
                        {"team", {{"id", "T1"}}},
                        {"user", {{"id", "U1"}, {"username", "ana"}}},
                        {"channel", {{"id", "C1"}}},
                        {"message", {{"ts", "1.5"}}},
                        {"actions", {{{"action_id", "approve"}, {"value", "run-7"}}}}};
  std::string escaped;
  for (const char c : payload.dump()) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      escaped.push_back(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      escaped += buf;
    }
  }
  const auto e = h.envelope(slack_request("payload=" + escaped, "application/x-www-form-urlencoded"));
  CHECK(e.event == "block_actions");
  CHECK(e.text == "approve:run-7");
  CHECK(e.dedup_key == "slack:tr-1");
  CHECK(e.thread_id == "1.5");
  CHECK(e.target.name == "helper");
}

TEST_CASE("slack: a trigger's own secret admits only what it signed; events filters apply") {
  IngressSettings s = slack_settings();
  s.default_agent.clear();
  s.slack.triggers.push_back(testing::trigger_settings(
      slack_trigger("acme", {{"default", agent("acme-bot")}}), {secret("acme-secret", "file /acme")}));
  s.slack.triggers.push_back(testing::trigger_settings(slack_trigger(
      "mentions-only", {{"default", agent("mention-bot")}}, {{"events", {"app_mention"}}})));
  Harness h(std::move(s));
  const json message = {{"type", "message"}, {"user", "U1"}, {"text", "hi"},
                        {"ts", "1"},         {"channel", "C1"}};
  const json body = {{"type", "event_callback"}, {"team_id", "T9"}, {"event_id", "Ev9"},
                     {"event", message}};
  // Signed with the acme secret: only acme's trigger is a candidate.
  const auto acme = h.envelope(slack_request(body.dump(), "application/json", "acme-secret"));
  CHECK(acme.target.name == "acme-bot");
  // Signed with the platform secret: acme's trigger is out, and mentions-only does not take
  // plain messages; no default agent → ignored.
  const auto platform = h.answer(slack_request(body.dump(), "application/json"));
  CHECK(platform.status == 200);
  CHECK(json::parse(platform.body)["status"] == "ignored");
  json mention = message;
  mention["type"] = "app_mention";
  const json mention_body = {{"type", "event_callback"}, {"team_id", "T9"},
                             {"event_id", "Ev10"}, {"event", mention}};
  CHECK(h.envelope(slack_request(mention_body.dump(), "application/json")).target.name ==
        "mention-bot");
}

TEST_CASE("slack: off unless configured; on without a secret only with insecure: true") {
  IngressSettings off;
  Harness h(std::move(off));
  CHECK(h.answer(slack_request("{}", "application/json")).status == 404);

  IngressSettings no_secret;
  no_secret.slack.enabled = true;
  const auto refused = check_ingress_settings(no_secret);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message().find("platforms.slack") != std::string::npos);
  no_secret.slack.insecure = true;
  CHECK(check_ingress_settings(no_secret).ok());
}

TEST_CASE("slack: form values are decoded strictly") {
  CHECK(form_value("a=1&text=hello+world%21&b=", "text")->value() == "hello world!");
  CHECK(form_value("a=1&b=", "b")->value().empty());
  CHECK_FALSE(form_value("a=1", "text")->has_value());
  CHECK_FALSE(form_value("text=%zz", "text").ok());
  CHECK_FALSE(form_value("text=%4", "text").ok());
}

}  // namespace aof::ingest

namespace aof::ingest {

TEST_CASE("slack: a reaction never reaches the default agent; it runs only what binds it") {
  const json reaction = {{"type", "reaction_added"},
                         {"user", "U2"},
                         {"reaction", "white_check_mark"},
                         {"item", {{"type", "message"}, {"channel", "C1"}, {"ts", "1700.01"}}}};
  json party = reaction;
  party["reaction"] = "tada";
  Harness unbound;  // runtime.default_agent is set, and `ops` has no reaction_added binding
  const auto ignored = unbound.answer(event_request(party, "EvR1"));
  CHECK(ignored.status == 200);
  CHECK(json::parse(ignored.body)["reason"] ==
        "no trigger binds reaction_added and the reaction decides no approval");
  // An approving reaction is a decision event: the worker matches it to a paused approval.
  const auto decision = unbound.envelope(event_request(reaction, "EvR3"));
  CHECK(decision.target.kind == event::TargetKind::kApproval);
  CHECK(decision.channel_id == "C1");
  CHECK(decision.metadata["item_ts"] == "1700.01");
  CHECK(decision.user["id"] == "U2");

  IngressSettings s = slack_settings();
  s.slack.triggers.push_back(testing::trigger_settings(
      slack_trigger("approvals", {{"reaction_added", flow("approval-flow")}})));
  Harness bound(std::move(s));
  const auto e = bound.envelope(event_request(reaction, "EvR2"));
  CHECK(e.target.name == "approval-flow");
  CHECK(e.text == "reaction:white_check_mark");
  CHECK(e.metadata["item_ts"] == "1700.01");
  CHECK(e.dedup_key == "slack:EvR2");
  // Replayed (Slack retries with the same event_id): the same key, so the broker drops it.
  CHECK(bound.envelope(event_request(reaction, "EvR2")).dedup_key == e.dedup_key);
}

}  // namespace aof::ingest
