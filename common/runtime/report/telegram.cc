// Telegram: sendMessage to the chat, MarkdownV2 with every special character escaped, so an
// agent's "_" or "." cannot make Telegram refuse the message (reference §3.3).
#include "common/runtime/report/platform_requests.h"

namespace aof::runtime::report {
namespace {

std::string markdown_v2_escaped(const std::string& text) {
  static constexpr std::string_view kSpecials = "_*[]()~`>#+-=|{}.!\\";
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    if (kSpecials.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

Built telegram_request(const event::Envelope& envelope, const ReportText& text,
                       const PlatformAccess& access, Skip* skip) {
  if (envelope.channel_id.empty()) {
    *skip = {"no chat id", false};
    return std::nullopt;
  }
  if (access.token.empty()) {
    *skip = {"no token (platforms.telegram.bot_token)", true};
    return std::nullopt;
  }
  // 4096 is the limit of the text as shown, i.e. before escaping.
  nlohmann::json body = {{"chat_id", envelope.channel_id},
                         {"text", markdown_v2_escaped(decorated(text, 4096))},
                         {"parse_mode", "MarkdownV2"}};
  // A forum topic; the Bot API wants its id as an Integer.
  const auto& topic = envelope.thread_id;
  if (!topic.empty() && topic.size() < 19 &&
      topic.find_first_not_of("0123456789") == std::string::npos) {
    body["message_thread_id"] = std::stoll(topic);
  }
  return json_post(
      base_url(access.api_url, "https://api.telegram.org") + "/bot" + access.token + "/sendMessage",
      body, {});
}

}  // namespace aof::runtime::report
