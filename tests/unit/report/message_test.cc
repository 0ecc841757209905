// Messages a flow posts to a channel (issue 8 item 2: Slack and Discord nodes), as the fake
// of each platform's API receives them, and a flow's Slack node posting through the
// reporter as the worker wires it.
#include <doctest/doctest.h>

#include "common/runtime/flow/flow_runner.h"
#include "tests/unit/flow/flow_test_util.h"
#include "tests/unit/report/report_fixture.h"

namespace aof::runtime::report {
namespace {

using nlohmann::json;
using testing::ReportFixture;

aof::testing::RecordedRequest only_request(const ReportFixture& f) {
  auto requests = f.api.requests();
  REQUIRE(requests.size() == 1);
  return requests.front();
}

}  // namespace

TEST_CASE("send_message slack: chat.postMessage to the channel, in its thread, with blocks") {
  ReportFixture f;
  f.api.reply_json(R"({"ok": true, "channel": "C0OPS", "ts": "1700000000.000200"})");
  auto sent = f.reporter()->send_message("slack", {"#ops", "Deploy done", "1700000000.000100",
                                                   json::parse(R"([{"type": "divider"}])")});
  REQUIRE_MESSAGE(sent.ok(), sent.error().message());
  CHECK(*sent == json{{"channel", "C0OPS"}, {"ts", "1700000000.000200"}});
  const auto r = only_request(f);
  CHECK(r.method == "POST");
  CHECK(r.target == "/chat.postMessage");
  CHECK(r.headers.at("authorization") == "Bearer xoxb-test");
  CHECK(json::parse(r.body) == json{{"channel", "#ops"},
                                    {"text", "Deploy done"},  // as written: no ✅
                                    {"thread_ts", "1700000000.000100"},
                                    {"blocks", {{{"type", "divider"}}}}});
}

TEST_CASE("send_message slack: Slack's refusals, outages and a missing token") {
  ReportFixture f;
  f.api.reply_json(R"({"ok": false, "error": "channel_not_found"})");
  auto refused = f.reporter()->send_message("slack", {"#nowhere", "x", "", nullptr});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kInvalidArgument);
  CHECK(refused.error().message() == "slack refused the message: channel_not_found");
  f.api.reply_json(R"({"ok": false})", 503);
  auto down = f.reporter()->send_message("slack", {"#ops", "x", "", nullptr});
  REQUIRE_FALSE(down.ok());
  CHECK(down.error().code() == ErrorCode::kUnavailable);
  f.env.erase("SLACK_TOKEN");
  auto no_token = f.reporter()->send_message("slack", {"#ops", "x", "", nullptr});
  CHECK(no_token.error().message() == "slack: no token (platforms.slack.bot_token)");
  CHECK(f.reporter()->send_message("telegram", {"1", "x", "", nullptr}).error().message() ==
        "messages go to slack or discord, not telegram");
  f.platforms.erase("slack");
  CHECK(f.reporter()->send_message("slack", {"#ops", "x", "", nullptr}).error().message() ==
        "platform slack is not configured (spec.platforms.slack)");
}

TEST_CASE("send_message discord: a bot message to the channel, a reply when threaded") {
  ReportFixture f;
  f.env["DISCORD_TOKEN"] = "discord-bot";
  f.platforms["discord"] = testing::platform("discord", f.api.base_url(), "DISCORD_TOKEN");
  f.api.reply_json(R"({"id": "1200000000000000002", "channel_id": "1100000000000000001"})");
  auto sent = f.reporter()->send_message(
      "discord", {"1100000000000000001", "Deploy done", "1200000000000000001", nullptr});
  REQUIRE_MESSAGE(sent.ok(), sent.error().message());
  CHECK(*sent == json{{"channel", "1100000000000000001"}, {"ts", "1200000000000000002"}});
  const auto r = only_request(f);
  CHECK(r.method == "POST");
  CHECK(r.target == "/channels/1100000000000000001/messages");
  CHECK(r.headers.at("authorization") == "Bot discord-bot");
  CHECK(json::parse(r.body) ==
        json{{"content", "Deploy done"},
             {"message_reference", {{"message_id", "1200000000000000001"}}}});
  // A channel that is not a snowflake never reaches the URL.
  auto bad = f.reporter()->send_message("discord", {"../../guilds/1", "x", "", nullptr});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code() == ErrorCode::kInvalidArgument);
  CHECK(f.api.requests().size() == 1);
}

TEST_CASE("report text: a flow ending with a Slack or Discord node replies with its message") {
  CHECK(text_of_result(
            json{{"output", {{"platform", "slack"}, {"message", "Brief posted"}, {"sent", true}}}})
            .text == "Brief posted");
}

TEST_CASE("a flow's Slack node posts through the reporter, as the worker wires it") {
  ReportFixture f;
  f.api.reply_json(R"({"ok": true, "channel": "C0INC", "ts": "1700000000.000300"})");
  auto reporter = f.reporter();
  FlowRunOptions options;
  options.run_id = "run-slack";
  options.send_message = [reporter](const ChatMessage& m) {
    return reporter->send_message(m.platform, {m.channel, m.text, m.thread, m.blocks});
  };
  auto tell = runtime::testing::node("tell", config::NodeType::kSlack);
  tell.config.channel = "#incidents";
  tell.config.message = "Incident ${event.metadata.incident}: ${event.text}";
  const json trigger = {
      {"event", {{"text", "checkout down"}, {"metadata", {{"incident", "PD42"}}}}}};
  auto result = run_flow(runtime::testing::flow_of({tell}), trigger, options);
  REQUIRE_MESSAGE(result.ok(), result.error().message());
  CHECK(runtime::testing::output_of(result, "tell") ==
        json{{"platform", "slack"},
             {"channel", "C0INC"},
             {"message", "Incident PD42: checkout down"},
             {"ts", "1700000000.000300"},
             {"sent", true}});
  const auto r = only_request(f);
  CHECK(r.target == "/chat.postMessage");
  CHECK(r.headers.at("authorization") == "Bearer xoxb-test");
  CHECK(json::parse(r.body) ==
        json{{"channel", "#incidents"}, {"text", "Incident PD42: checkout down"}});
  // A flow that ends with a message replies to its event with that message.
  CHECK(text_of_result(*result).text == "Incident PD42: checkout down");
}

}  // namespace aof::runtime::report
