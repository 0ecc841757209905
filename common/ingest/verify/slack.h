#pragma once
// Slack request signing ("Verifying requests from Slack"): X-Slack-Signature is "v0=" + hex
// HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body), and the
// timestamp (unix seconds) must lie within the tolerance of now — AOF had no window
// (reference §3.2); here a stale request is refused (kStaleTimestamp → 401), so a captured
// request cannot be replayed later. Both headers are mandatory. Checks in order: either
// header missing → kMissingHeader; signature not exactly "v0=" + 64 hex digits, or the
// timestamp not 1-19 digits → kMalformed; outside the window → kStaleTimestamp; then the
// secrets → kBadSignature / kVerified.

#include "common/ingest/verify/verify.h"

namespace aof::ingest::verify {

VerifyResult verify_slack(const Headers& headers, std::string_view body, const Secrets& secrets,
                          std::int64_t now, std::int64_t tolerance_secs = kDefaultToleranceSecs);

}  // namespace aof::ingest::verify
