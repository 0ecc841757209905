// Reporter::send_message: a flow's message to a channel (report.h), through the same
// platform access (tokens, api_url) as the report-backs.
#include "common/base/log.h"
#include "common/runtime/report/platform_requests.h"

namespace aof::runtime::report {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kErrorBodyBytes = 300;  // of a refusal's body, in the error message

Error refused(const std::string& platform, const std::string& why) {
  return Error(ErrorCode::kInvalidArgument, platform + " refused the message: " + why);
}

// {"channel", "ts"} from the platform's answer to a posted message.
Result<Json> posted(const std::string& platform, const HttpResponse& response) {
  if (response.status == 429 || response.status >= 500) {
    return Error(ErrorCode::kUnavailable, platform + ": HTTP " + std::to_string(response.status));
  }
  const Json body = Json::parse(response.body, nullptr, false);
  if (response.status < 200 || response.status >= 300) {
    return refused(platform, "HTTP " + std::to_string(response.status) + ": " +
                                 bounded(response.body, kErrorBodyBytes));
  }
  if (!body.is_object()) return refused(platform, "unreadable answer");
  if (platform == "slack") {
    if (!body.value("ok", false)) return refused(platform, body.value("error", "not ok"));
    return Json{{"channel", body.value("channel", "")}, {"ts", body.value("ts", "")}};
  }
  return Json{{"channel", body.value("channel_id", "")}, {"ts", body.value("id", "")}};
}

}  // namespace

Result<Json> Reporter::send_message(const std::string& platform,
                                    const ChannelMessage& message) const {
  using BuildMessage = Built (*)(const ChannelMessage&, const PlatformAccess&, Skip*);
  const BuildMessage build = platform == "slack"     ? slack_message_request
                             : platform == "discord" ? discord_message_request
                                                     : nullptr;
  if (build == nullptr) {
    return Error(ErrorCode::kInvalidArgument, "messages go to slack or discord, not " + platform);
  }
  const auto access = access_.find(platform);
  if (access == access_.end() || !http_) {
    return Error(ErrorCode::kInvalidArgument,
                 "platform " + platform + " is not configured (spec.platforms." + platform + ")");
  }
  Skip skip;
  auto request = build(message, *access->second, &skip);
  if (!request) return Error(ErrorCode::kInvalidArgument, platform + ": " + skip.why);
  auto response = http_->send(*request);
  if (!response.ok()) {
    return Error(ErrorCode::kUnavailable, platform + ": " + response.error().message());
  }
  auto result = posted(platform, *response);
  if (result.ok()) {
    log::get(log::Component::kWorker)->info("platform={} message posted to a channel", platform);
  }
  return result;
}

}  // namespace aof::runtime::report
