#include "cli/commands/sign_headers.h"

#include "common/ingest/signature.h"

namespace aof::cli {
namespace {

std::string hmac_hex(const std::string& secret, const std::string& message) {
  return ingest::hex_encode(ingest::hmac_sha256(secret, message));
}

Error needs_event(const std::string& platform, const char* header) {
  return Error(ErrorCode::kInvalidArgument,
               "--event is required for " + platform + " (its " + header + " header)");
}

}  // namespace

Result<Headers> signed_headers(const SignRequest& r) {
  const std::string& p = r.platform;
  if (p == "github") {
    if (r.event.empty()) return needs_event(p, "X-GitHub-Event");
    return Headers{{"X-GitHub-Event", r.event},
                   {"X-GitHub-Delivery", r.delivery},
                   {"X-Hub-Signature-256", "sha256=" + hmac_hex(r.secret, r.body)}};
  }
  if (p == "slack") {
    const std::string ts = std::to_string(r.now_secs);
    return Headers{{"X-Slack-Request-Timestamp", ts},
                   {"X-Slack-Signature", "v0=" + hmac_hex(r.secret, "v0:" + ts + ":" + r.body)}};
  }
  if (p == "gitlab") {
    if (r.event.empty()) return needs_event(p, "X-Gitlab-Event");
    return Headers{{"X-Gitlab-Event", r.event},
                   {"X-Gitlab-Event-UUID", r.delivery},
                   {"X-Gitlab-Token", r.secret}};
  }
  if (p == "bitbucket") {
    if (r.event.empty()) return needs_event(p, "X-Event-Key");
    return Headers{{"X-Event-Key", r.event},
                   {"X-Request-UUID", r.delivery},
                   {"X-Hub-Signature", "sha256=" + hmac_hex(r.secret, r.body)}};
  }
  if (p == "jira") {
    return Headers{{"X-Atlassian-Webhook-Identifier", r.delivery},
                   {"X-Hub-Signature", "sha256=" + hmac_hex(r.secret, r.body)}};
  }
  if (p == "whatsapp") return Headers{{"X-Hub-Signature-256", "sha256=" + hmac_hex(r.secret, r.body)}};
  if (p == "pagerduty") return Headers{{"X-PagerDuty-Signature", "v1=" + hmac_hex(r.secret, r.body)}};
  if (p == "telegram") return Headers{{"X-Telegram-Bot-Api-Secret-Token", r.secret}};
  if (p == "opsgenie") return Headers{{"Authorization", "Bearer " + r.secret}};
  if (p == "generic") {  // platforms.generic's default scheme
    return Headers{{"X-Signature", "sha256=" + hmac_hex(r.secret, r.body)}};
  }
  if (p == "discord") {
    return Error(ErrorCode::kInvalidArgument,
                 "discord requests are signed with the application's Ed25519 private key, which "
                 "only Discord holds; use Discord's own endpoint check instead");
  }
  return Error(ErrorCode::kInvalidArgument, "--platform " + p + ": not a platform aof serves");
}

}  // namespace aof::cli
