#pragma once
// Report-back (DESIGN §7, reference §2.6, §3): after an execution ends, post its result to
// the conversation it came from (and, for flows, post messages to a named channel) — a GitHub
// issue/PR comment, a Slack thread reply, the Discord interaction's deferred response, a Telegram
// or WhatsApp message, a Jira issue comment, a PagerDuty incident note, a GitLab MR/issue note. One
// request per report; each platform builds it in its own file (platform_requests.h). Effect-once
// (DESIGN §5) is not done here but around it, in reporting_job.h.

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "common/base/http_client.h"
#include "common/base/result.h"
#include "common/config/daemon_config.h"
#include "common/config/loader.h"
#include "common/event/envelope.h"

namespace aof::runtime::report {

// What to post, before the platform decorates it: every platform prefixes "✅ " (success)
// or "❌ " (failure), as AOF's GitHub replies do, so a failure reads
// "❌ Sorry, I encountered an error: ..." everywhere (reference §2.6).
struct ReportText {
  bool success = true;
  std::string text;
  bool decorated = true;  // false: posted as written (an approval request), no ✅/❌
};

// The text of a result JSON (reference §2.6): an agent's "output" string; a flow's last node
// output's "output" or "response" string (a Slack/Discord node's: the "message" it posted),
// else that output as JSON; else the JSON itself.
ReportText text_of_result(const nlohmann::json& result);
// "Sorry, I encountered an error: <message>".
ReportText text_of_error(const std::string& message);

// A message posted to a channel on the flow's behalf (Slack and Discord nodes, approval
// requests), not a reply to an event: the text is sent as written, without ✅/❌.
struct ChannelMessage {
  std::string channel;    // Slack: channel id or #name; Discord: channel id (digits)
  std::string text;       // cut to the platform's limit (Slack 40000, Discord 2000 bytes)
  std::string thread;     // Slack: thread_ts; Discord: id of the message replied to; "" = none
  nlohmann::json blocks;  // Slack Block Kit blocks as given; null = none (Discord: ignored)
};

enum class Outcome {
  kPosted,   // the platform answered 2xx (Slack: and "ok": true)
  kSkipped,  // nothing to post to: no token (warned once per platform), no issue number, ...
  kRefused,  // the platform answered a non-retryable error (logged; retrying cannot help)
};
const char* to_string(Outcome outcome);

class Reporter {
 public:
  // `platforms` is spec.platforms; tokens are resolved from it with `env` once, here. A token
  // that cannot be resolved (env var unset) counts as missing.
  Reporter(const std::map<std::string, config::PlatformConfig>& platforms,
           std::shared_ptr<const HttpClient> http, const config::EnvLookup& env);

  // Posts `text` where `envelope` came from. Errors are retryable only: a transport failure,
  // 429 or 5xx (kUnavailable); every other answer is an Outcome. Thread-safe.
  Result<Outcome> report(const event::Envelope& envelope, const ReportText& text) const;

  // report(), also returning the posted message's id when the platform answers one (Slack's
  // "ts", Discord's and most others' "id"): what a reaction to it later refers to.
  struct Posted {
    Outcome outcome = Outcome::kSkipped;
    std::string message_id;  // "" when not posted or not answered
  };
  Result<Posted> post(const event::Envelope& envelope, const ReportText& text) const;
  // Posts `message` on `platform` ("slack": chat.postMessage with the bot token; "discord":
  // POST /channels/<id>/messages with "Bot <token>"), at the platform's api_url. Returns
  // {"channel", "ts"}: Slack's channel id and ts, Discord's channel id and message id.
  // Errors: kInvalidArgument when the platform is not configured or has no token, or
  // refuses (a 4xx, Slack's "ok": false; the message names Slack's error); kUnavailable on
  // a transport failure, 429 or 5xx. Thread-safe. (message.cc)
  Result<nlohmann::json> send_message(const std::string& platform,
                                      const ChannelMessage& message) const;

 private:
  struct Access;
  void warn_once(const std::string& platform, const std::string& why) const;

  std::map<std::string, std::shared_ptr<const Access>> access_;  // by platform; immutable
  std::shared_ptr<const HttpClient> http_;
  mutable std::mutex mu_;
  mutable std::set<std::string> warned_;  // guarded by mu_: platforms already warned about
};

}  // namespace aof::runtime::report
