// Telegram through the ingress (issue 6 items 2, 5, 7): the secret-token header before
// anything is parsed, message and callback_query updates normalised as AOF does (reference
// §3.3), AOF's chat routing with runtime.default_agent, trigger filters (chat_ids, users,
// patterns), bots ignored, update_id as the dedup key, a plain 200 for Telegram.
#include <doctest/doctest.h>

#include "common/ingest/ingress.h"
#include "tests/unit/ingest/ingest_test_support.h"

namespace aof::ingest {
namespace {

using nlohmann::json;
using testing::agent;
using testing::fixture;
using testing::flow;
using testing::secret;

constexpr const char* kToken = "tg_secret-Token_123";

IngressRequest telegram_request(const std::string& body, const std::string& token = kToken) {
  IngressRequest r = testing::webhook_request("telegram", body, "application/json");
  if (!token.empty()) r.headers["x-telegram-bot-api-secret-token"] = token;
  return r;
}

config::Trigger telegram_trigger(const std::string& name,
                                 std::map<std::string, config::CommandBinding> commands,
                                 json config = json::object()) {
  config::Trigger t;
  t.name = name;
  t.type = "Telegram";
  t.commands = std::move(commands);
  t.config = std::move(config);
  return t;
}


IngressSettings telegram_settings(json config = json::object()) {
  IngressSettings s;
  PlatformSettings& p = s.platforms["telegram"];
  p.name = "telegram";
  p.enabled = true;
  p.secrets = {secret(kToken)};
  p.triggers.push_back(
      testing::trigger_settings(telegram_trigger("oncall", {{"pods", agent("k8s-ops")}}, std::move(config))));
  s.default_agent = "devops";
  return s;
}

struct Harness : testing::IngressHarness {
  explicit Harness(IngressSettings settings = telegram_settings())
      : IngressHarness(std::move(settings)) {}
};

}  // namespace

TEST_CASE("telegram: the secret token is mandatory and compared exactly") {
  Harness h;
  const std::string body = fixture("telegram/message.json");
  CHECK(h.answer(telegram_request(body, "")).status == 401);
  CHECK(h.answer(telegram_request(body, "tg_secret-Token_124")).status == 401);
  CHECK(h.answer(telegram_request(body, "has space")).status == 401);
  h.envelope(telegram_request(body));
}

TEST_CASE("telegram: a /command message binds; the update_id is the dedup key") {
  Harness h;
  const auto e = h.envelope(telegram_request(fixture("telegram/message.json")));
  CHECK(e.platform == "telegram");
  CHECK(e.trigger == "oncall");
  CHECK(e.target.name == "k8s-ops");
  CHECK(e.text == "production");
  CHECK(e.channel_id == "-1001234567890");
  CHECK(e.user["username"] == "Testusername");
  CHECK(e.metadata["chat_type"] == "supergroup");
  CHECK(e.dedup_key == "telegram:10000");
  CHECK_FALSE(e.headers.count("x-telegram-bot-api-secret-token"));  // the secret stays out
  const auto answer = h.ingress.answer_published(e, PublishOutcome::kAccepted);
  CHECK(answer.status == 200);
}

TEST_CASE("telegram: plain text and callbacks go to runtime.default_agent") {
  Harness h;
  json update = json::parse(fixture("telegram/message.json"));
  update["message"]["text"] = "why is checkout slow?";
  const auto e = h.envelope(telegram_request(update.dump()));
  CHECK(e.trigger == "runtime.default_agent");
  CHECK(e.target.name == "devops");
  const auto callback = h.envelope(telegram_request(fixture("telegram/callback_query.json")));
  CHECK(callback.event == "callback_query");
  CHECK(callback.text == "callback:approve:deploy-42");
  CHECK(callback.metadata["callback_query_id"] == "4382bfdwdsb323b2d9");
}

TEST_CASE("telegram: bots, other update kinds and malformed updates") {
  Harness h;
  json update = json::parse(fixture("telegram/message.json"));
  update["message"]["from"]["is_bot"] = true;
  const auto bot = h.answer(telegram_request(update.dump()));
  CHECK(bot.status == 200);
  CHECK(json::parse(bot.body)["status"] == "ignored");
  const auto edited = h.answer(telegram_request(R"({"update_id":5,"edited_message":{}})"));
  CHECK(json::parse(edited.body)["status"] == "ignored");
  CHECK(h.answer(telegram_request(R"({"message":{}})")).status == 400);
  CHECK(h.answer(telegram_request("not json")).status == 400);
}

TEST_CASE("telegram: chat_ids, users and patterns filter the trigger") {
  const std::string body = fixture("telegram/message.json");
  SUBCASE("a listed chat passes") {
    Harness h(telegram_settings({{"chat_ids", {-1001234567890}}}));
    CHECK(h.envelope(telegram_request(body)).trigger == "oncall");
  }
  SUBCASE("another chat does not reach the trigger: only the default agent runs") {
    Harness h(telegram_settings({{"chat_ids", {42}}}));
    CHECK(h.envelope(telegram_request(body)).trigger == "runtime.default_agent");
  }
  SUBCASE("without a default agent, the refusal is the answer") {
    IngressSettings s = telegram_settings({{"users", {"someone-else"}}});
    s.default_agent = "";
    Harness h(s);
    const auto answer = h.answer(telegram_request(body));
    CHECK(json::parse(answer.body)["reason"] == "trigger oncall: users does not list 1111111");
  }
  SUBCASE("patterns: a regex found in the text") {
    Harness pass(telegram_settings({{"patterns", {"^/pods\\b"}}}));
    CHECK(pass.envelope(telegram_request(body)).trigger == "oncall");
    Harness miss(telegram_settings({{"patterns", {"^/logs"}}}));
    CHECK(miss.envelope(telegram_request(body)).trigger == "runtime.default_agent");
  }
  SUBCASE("a pattern that is not a regex is refused when the settings are built") {
    const auto bad = TriggerFilters::compile(telegram_trigger("t", {}, {{"patterns", {"(["}}}));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message().find("pattern \"([\" is not a valid regex") != std::string::npos);
  }
}

TEST_CASE("telegram: a platform that is not enabled is 404; GET is 405") {
  IngressSettings off = telegram_settings();
  off.platforms["telegram"].enabled = false;
  Harness h(off);
  CHECK(h.answer(telegram_request(fixture("telegram/message.json"))).status == 404);
  Harness on;
  IngressRequest get = telegram_request("");
  get.method = "GET";
  CHECK(on.answer(get).status == 405);
}

}  // namespace aof::ingest

namespace aof::ingest {

TEST_CASE("requests are counted by platform and outcome; unknown platforms share `other`") {
  Harness h;
  h.answer(telegram_request(fixture("telegram/message.json"), "wrong"));
  h.ingress.answer_published(h.envelope(telegram_request(fixture("telegram/message.json"))),
                             PublishOutcome::kAccepted);
  h.answer(testing::webhook_request("no-such-platform", "{}", "application/json"));
  h.answer(testing::webhook_request("another-one", "{}", "application/json"));
  const auto& by = h.ingress.metrics().by_platform();
  CHECK(by.at("telegram").value(RequestOutcome::kUnauthorized) == 1);
  CHECK(by.at("telegram").value(RequestOutcome::kAccepted) == 1);
  CHECK(by.at("other").value(RequestOutcome::kNotFound) == 2);
  CHECK(by.count("no-such-platform") == 0);  // the label set is closed
  CHECK(h.ingress.counters().value(RequestOutcome::kNotFound) == 2);
  CHECK(by.at("github").value(RequestOutcome::kNotFound) == 0);
}

}  // namespace aof::ingest
