// Discord and WhatsApp through the ingress (issue 6 items 2, 3, 7): Discord's Ed25519
// signature over timestamp + body with its 5-minute window, PING → type 1, commands →
// deferred type 5, ephemeral answers for what is not run; WhatsApp's X-Hub-Signature-256,
// the GET hub.challenge handshake, messages routed as AOF does, status updates ignored.
#include <doctest/doctest.h>

#include "common/ingest/ingress.h"
#include "common/ingest/platforms.h"
#include "tests/unit/ingest/ingest_test_support.h"
#include "tests/unit/ingest/verify_test_support.h"

namespace aof::ingest {
namespace {

using nlohmann::json;
using testing::agent;
using testing::fixture;
using testing::flow;
using testing::secret;

constexpr std::int64_t kNow = 1700000000;  // FakeClock's start

config::Trigger trigger(const std::string& name, const std::string& type,
                        std::map<std::string, config::CommandBinding> commands,
                        json config = json::object()) {
  config::Trigger t;
  t.name = name;
  t.type = type;
  t.commands = std::move(commands);
  t.config = std::move(config);
  return t;
}


PlatformSettings& enable(IngressSettings& s, const std::string& name,
                         std::vector<config::Secret> secrets) {
  PlatformSettings& p = s.platforms[name];
  p.name = name;
  p.enabled = true;
  p.secrets = std::move(secrets);
  return p;
}

// ---- Discord

// The application's key pair exists before the Ingress that trusts its public key.
struct DiscordApp {
  testing::Ed25519KeyPair app;
};

IngressSettings discord_settings(const std::string& public_key, json config, bool default_agent) {
  IngressSettings s;
  enable(s, "discord", {secret(public_key, "env DISCORD_PUBLIC_KEY")})
      .triggers.push_back(testing::trigger_settings(
          trigger("ops", "Discord", {{"deploy", flow("deploy-flow")}}, std::move(config))));
  if (default_agent) s.default_agent = "devops";
  return s;
}

struct DiscordHarness : DiscordApp, testing::IngressHarness {
  explicit DiscordHarness(json config = json::object(), bool default_agent = false)
      : IngressHarness(discord_settings(app.public_hex(), std::move(config), default_agent)) {}
  IngressRequest request(const std::string& body, std::int64_t ts = kNow,
                         bool sign = true) const {
    IngressRequest r = testing::webhook_request("discord", body, "application/json");
    r.headers["x-signature-timestamp"] = std::to_string(ts);
    if (sign) r.headers["x-signature-ed25519"] = app.sign_hex(std::to_string(ts) + body);
    return r;
  }
};

}  // namespace

TEST_CASE("discord: PING is answered type 1 only when signed; bad signatures are 401") {
  DiscordHarness h;
  const std::string ping = fixture("discord/ping.json");
  const auto pong = h.answer(h.request(ping));
  CHECK(pong.status == 200);
  CHECK(json::parse(pong.body) == json{{"type", 1}});
  // Discord's endpoint check sends a bad signature and requires 401.
  IngressRequest forged = h.request(ping);
  forged.headers["x-signature-ed25519"] = std::string(128, '0');
  CHECK(h.answer(forged).status == 401);
  CHECK(h.answer(h.request(ping, kNow, false)).status == 401);
  IngressRequest tampered = h.request(ping);
  tampered.body += " ";
  CHECK(h.answer(tampered).status == 401);
}

TEST_CASE("discord: a timestamp outside 5 minutes is refused, even correctly signed") {
  DiscordHarness h;
  const std::string body = fixture("discord/application_command.json");
  CHECK(h.answer(h.request(body, kNow - 301)).status == 401);
  CHECK(h.answer(h.request(body, kNow + 301)).status == 401);
  h.envelope(h.request(body, kNow - 299));
}

TEST_CASE("discord: an application command binds by name and is deferred (type 5)") {
  DiscordHarness h;
  const auto e = h.envelope(h.request(fixture("discord/application_command.json")));
  CHECK(e.platform == "discord");
  CHECK(e.trigger == "ops");
  CHECK(e.target.name == "deploy-flow");
  CHECK(e.text == "service=checkout env=staging");
  CHECK(e.tenant == "1100000000000000001");
  CHECK(e.channel_id == "1090000000000000001");
  CHECK(e.user["username"] == "opsperson");
  CHECK(e.metadata["interaction_token"] == "aW50ZXJhY3Rpb246MTIwMDAwMDAwMDAwMDAwMDAwMTp0b2tlbg");
  CHECK(e.dedup_key == "discord:1200000000000000001");
  const auto answer = h.ingress.answer_published(e, PublishOutcome::kAccepted);
  CHECK(answer.status == 200);
  CHECK(json::parse(answer.body) == json{{"type", 5}});
  CHECK(ack_timeout_cap_ms("discord") == 2500);
}

TEST_CASE("discord: what is not run gets an ephemeral message, not a failed interaction") {
  DiscordHarness h;
  json command = json::parse(fixture("discord/application_command.json"));
  command["data"]["name"] = "unbound";
  const auto answer = h.answer(h.request(command.dump()));
  CHECK(answer.status == 200);
  const json body = json::parse(answer.body);
  CHECK(body["type"] == 4);
  CHECK(body["data"]["flags"] == 64);
  CHECK(body["data"]["content"].get<std::string>().find("Not run: ") == 0);
}

TEST_CASE("discord: guild_ids filter the trigger; components are deferred updates") {
  DiscordHarness other_guild({{"guild_ids", {"42"}}}, /*default_agent=*/true);
  const auto e = other_guild.envelope(other_guild.request(fixture("discord/application_command.json")));
  CHECK(e.trigger == "runtime.default_agent");
  DiscordHarness h({}, true);
  json component = json::parse(fixture("discord/application_command.json"));
  component["type"] = 3;
  component["data"] = {{"custom_id", "approve:42"}, {"component_type", 2}};
  const auto c = h.envelope(h.request(component.dump()));
  CHECK(c.text == "component:approve:42");
  CHECK(json::parse(h.ingress.answer_published(c, PublishOutcome::kAccepted).body) ==
        json{{"type", 6}});
  CHECK(h.answer(h.request(R"({"type":"2"})")).status == 400);
}

// ---- WhatsApp

namespace {

constexpr const char* kAppSecret = "whatsapp-app-secret";

IngressSettings whatsapp_settings() {
  IngressSettings s;
  PlatformSettings& p = enable(s, "whatsapp", {secret(kAppSecret)});
  p.verify_tokens = {secret("verify-me")};
  p.triggers.push_back(testing::trigger_settings(trigger("oncall", "WhatsApp", {{"status", agent("devops")}})));
  return s;
}

IngressRequest whatsapp_request(const std::string& body, const std::string& app_secret = kAppSecret) {
  IngressRequest r = testing::webhook_request("whatsapp", body, "application/json");
  if (!app_secret.empty()) r.headers["x-hub-signature-256"] = testing::github_signature(app_secret, body);
  return r;
}

IngressRequest handshake(const std::string& mode, const std::string& token,
                         const std::string& challenge) {
  IngressRequest r = testing::webhook_request("whatsapp", "", "");
  r.method = "GET";
  r.query = {{"hub.mode", mode}, {"hub.verify_token", token}, {"hub.challenge", challenge}};
  return r;
}

}  // namespace

TEST_CASE("whatsapp: the GET handshake echoes hub.challenge only for the verify token") {
  testing::IngressHarness h(whatsapp_settings());
  const auto ok = h.answer(handshake("subscribe", "verify-me", "1158201444"));
  CHECK(ok.status == 200);
  CHECK(ok.content_type == "text/plain");
  CHECK(ok.body == "1158201444");
  CHECK(h.answer(handshake("subscribe", "verify-mf", "1158201444")).status == 403);
  CHECK(h.answer(handshake("unsubscribe", "verify-me", "1158201444")).status == 400);
  CHECK(h.answer(handshake("subscribe", "verify-me", "")).status == 400);
  IngressSettings no_token = whatsapp_settings();
  no_token.platforms["whatsapp"].verify_tokens.clear();
  testing::IngressHarness unset(no_token);
  CHECK(unset.answer(handshake("subscribe", "", "1")).status == 403);
}

TEST_CASE("whatsapp: messages are verified with the app secret and routed") {
  testing::IngressHarness h(whatsapp_settings());
  const std::string body = fixture("whatsapp/text.json");
  CHECK(h.answer(whatsapp_request(body, "")).status == 401);
  CHECK(h.answer(whatsapp_request(body, "other")).status == 401);
  const auto e = h.envelope(whatsapp_request(body));
  CHECK(e.trigger == "oncall");
  CHECK(e.target.name == "devops");
  CHECK(e.text == "checkout");
  CHECK(e.channel_id == "16505551234");
  CHECK(e.user["username"] == "Sheena Nelson");
  CHECK(e.metadata["phone_number_id"] == "106540352242922");
  CHECK(e.dedup_key == "whatsapp:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=");
  CHECK(h.ingress.answer_published(e, PublishOutcome::kAccepted).status == 200);
}

TEST_CASE("whatsapp: status updates and media are ignored with 200; other objects are 400") {
  testing::IngressHarness h(whatsapp_settings());
  const auto status = h.answer(whatsapp_request(fixture("whatsapp/status.json")));
  CHECK(status.status == 200);
  CHECK(json::parse(status.body)["status"] == "ignored");
  json image = json::parse(fixture("whatsapp/text.json"));
  image["entry"][0]["changes"][0]["value"]["messages"][0]["type"] = "image";
  CHECK(json::parse(h.answer(whatsapp_request(image.dump())).body)["status"] == "ignored");
  CHECK(h.answer(whatsapp_request(R"({"object":"page"})")).status == 400);
}

TEST_CASE("whatsapp: an interactive button reply is routed as button:<id>") {
  IngressSettings s = whatsapp_settings();
  s.default_agent = "devops";
  testing::IngressHarness h(s);
  json reply = json::parse(fixture("whatsapp/text.json"));
  reply["entry"][0]["changes"][0]["value"]["messages"][0] = {
      {"from", "16505551234"}, {"id", "wamid.2"}, {"type", "interactive"},
      {"interactive", {{"type", "button_reply"}, {"button_reply", {{"id", "ack-7"}, {"title", "Ack"}}}}}};
  CHECK(h.envelope(whatsapp_request(reply.dump())).text == "button:ack-7");
}

}  // namespace aof::ingest
