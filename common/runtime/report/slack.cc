// Slack: chat.postMessage in the event's thread (reference §3.2; unlike AOF, threaded, so a
// reply lands beside the question), and to a flow's channel. Slack answers 200 with
// "ok": false on errors; report.cc and message.cc read that.
#include "common/runtime/report/platform_requests.h"

namespace aof::runtime::report {

namespace {
constexpr std::size_t kTextLimit = 40000;  // chat.postMessage text
constexpr std::size_t kBlockLimit = 3000;  // a section block's text; longer → text only
}  // namespace

Built slack_request(const event::Envelope& envelope, const ReportText& text,
                    const PlatformAccess& access, Skip* skip) {
  if (envelope.channel_id.empty()) {
    *skip = {"no channel", false};
    return std::nullopt;
  }
  if (access.token.empty()) {
    *skip = {"no token (platforms.slack.bot_token)", true};
    return std::nullopt;
  }
  const std::string body_text = decorated(text, kTextLimit);
  nlohmann::json body = {{"channel", envelope.channel_id}, {"text", body_text}};
  if (body_text.size() <= kBlockLimit) {
    body["blocks"] = {{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", body_text}}}}};
  }
  if (!envelope.thread_id.empty()) body["thread_ts"] = envelope.thread_id;
  auto request = json_post(base_url(access.api_url, "https://slack.com/api") + "/chat.postMessage",
                           body, {{"Authorization", "Bearer " + access.token}});
  request.headers["Content-Type"] = "application/json; charset=utf-8";
  return request;
}

Built slack_message_request(const ChannelMessage& message, const PlatformAccess& access,
                            Skip* skip) {
  if (access.token.empty()) {
    *skip = {"no token (platforms.slack.bot_token)", true};
    return std::nullopt;
  }
  nlohmann::json body = {{"channel", message.channel}, {"text", bounded(message.text, kTextLimit)}};
  if (!message.thread.empty()) body["thread_ts"] = message.thread;
  if (!message.blocks.is_null()) body["blocks"] = message.blocks;
  auto request = json_post(base_url(access.api_url, "https://slack.com/api") + "/chat.postMessage",
                           body, {{"Authorization", "Bearer " + access.token}});
  request.headers["Content-Type"] = "application/json; charset=utf-8";
  return request;
}

}  // namespace aof::runtime::report
