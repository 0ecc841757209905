#pragma once
// Shared-token schemes: the provider sends the secret itself in a header, nothing is signed
// (so the body is not authenticated beyond TLS, and there is no replay window: dedup covers
// redeliveries). Compared through verify_token (SHA-256 of both, constant time), every
// active secret tried. Missing header → kMissingHeader; empty, over kMaxHeaderBytes or
// outside the provider's documented shape → kMalformed; no secret equal → kBadSignature.

#include <string>

#include "common/ingest/verify/verify.h"

namespace aof::ingest::verify {

// GitLab: X-Gitlab-Token equals the webhook's secret token (any bytes GitLab accepts).
VerifyResult verify_gitlab(const Headers& headers, std::string_view body, const Secrets& secrets,
                           std::int64_t now);

// Telegram Bot API: X-Telegram-Bot-Api-Secret-Token equals the `secret_token` given to
// setWebhook, which Telegram restricts to 1-256 characters of A-Z a-z 0-9 _ -; any other
// value is kMalformed.
VerifyResult verify_telegram(const Headers& headers, std::string_view body, const Secrets& secrets,
                             std::int64_t now);

// Opsgenie's outgoing webhook integration signs nothing (no HMAC, no timestamp); what it
// offers is custom headers the user configures on the integration. This scheme checks one
// such header: its value must be `prefix` followed by a secret. Defaults match the common
// set-up "Authorization: Bearer <secret>". Ready for YAML: plain fields, defaults here.
struct OpsgenieConfig {
  std::string header = "authorization";  // lower-case header name the integration sets
  std::string prefix = "Bearer ";        // literal text before the secret ("" for none)
};

VerifyResult verify_opsgenie(const OpsgenieConfig& config, const Headers& headers,
                             std::string_view body, const Secrets& secrets, std::int64_t now);

}  // namespace aof::ingest::verify
