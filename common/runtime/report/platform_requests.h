#pragma once
// One function per platform (one file each) that turns a report into the one HTTP request
// that posts it (reference §3.1-§3.7). Pure: no I/O, so each is tested on its request alone;
// report.cc sends what they build. Each returns nullopt with *skip set when there is nothing
// to post to (no issue number, no token, no interaction token, ...).

#include <map>
#include <optional>
#include <string>

#include "common/base/http_client.h"
#include "common/event/envelope.h"
#include "common/runtime/report/report.h"

namespace aof::runtime::report {

// What a platform's configuration gives a request: its API token, api_url ("" = public
// API) and scalar settings with *_env names already resolved (base_url, user_email, from,
// application_id, phone_number_id, ...).
struct PlatformAccess {
  std::string token;
  std::string api_url;
  std::map<std::string, std::string> settings;
  std::string bot_name;
};

// The reporter's per-platform access (report.cc builds it once).
struct Reporter::Access : PlatformAccess {};

using Built = std::optional<HttpRequest>;

// Why a report is not posted.
struct Skip {
  std::string why;
  bool missing_credential = false;  // the operator's to fix: warned once per platform
};

Built github_request(const event::Envelope&, const ReportText&, const PlatformAccess&, Skip* skip);
Built slack_request(const event::Envelope&, const ReportText&, const PlatformAccess&, Skip* skip);
Built discord_request(const event::Envelope&, const ReportText&, const PlatformAccess&, Skip* skip);
Built telegram_request(const event::Envelope&, const ReportText&, const PlatformAccess&,
                       Skip* skip);
Built whatsapp_request(const event::Envelope&, const ReportText&, const PlatformAccess&,
                       Skip* skip);
Built jira_request(const event::Envelope&, const ReportText&, const PlatformAccess&, Skip* skip);
Built pagerduty_request(const event::Envelope&, const ReportText&, const PlatformAccess&,
                        Skip* skip);
Built gitlab_request(const event::Envelope&, const ReportText&, const PlatformAccess&, Skip* skip);

// Channel messages (Reporter::send_message): nullopt with *skip when the token is missing
// or the channel unusable.
Built slack_message_request(const ChannelMessage&, const PlatformAccess&, Skip* skip);
Built discord_message_request(const ChannelMessage&, const PlatformAccess&, Skip* skip);

// Shared helpers (text.cc).
// "✅ text" / "❌ text", cut to at most `max_bytes` bytes on a UTF-8 boundary with a
// "… (truncated)" tail. Bytes bound every platform's limit: their limits count characters
// or UTF-16 units, never more than the UTF-8 bytes.
std::string decorated(const ReportText& text, std::size_t max_bytes);
// `text` cut to at most `max_bytes` bytes on a UTF-8 boundary, with the tail marker.
std::string bounded(const std::string& text, std::size_t max_bytes);
// `value` if not empty, else `fallback`, without a trailing '/'.
std::string base_url(const std::string& value, const std::string& fallback);
// The metadata string at `key` ("" when absent; numbers as text).
std::string metadata_text(const event::Envelope& envelope, const char* key);
// A JSON POST with `headers` added to Content-Type.
HttpRequest json_post(std::string url, const nlohmann::json& body,
                      std::map<std::string, std::string> headers);

}  // namespace aof::runtime::report
