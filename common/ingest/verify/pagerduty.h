#pragma once
// PagerDuty v3 webhooks ("Verifying Signatures"): X-PagerDuty-Signature is a comma-separated
// list of "v1=" + hex HMAC-SHA256(secret, raw body); PagerDuty sends several while it
// rotates a subscription's secret, and the request is verified when any one matches any
// active secret (AOF refused lists, reference §3.7). Parsing: at most 8 entries, separated
// by "," with optional spaces; each entry is "v<digits>=<value>"; "v1" entries must carry
// exactly 64 hex digits; entries of other versions are skipped (a scheme PagerDuty may add
// later), but at least one v1 entry is required. Nothing is timestamped (no replay window;
// dedup by event id). Missing → kMissingHeader; any other shape → kMalformed; no match →
// kBadSignature.

#include "common/ingest/verify/verify.h"

namespace aof::ingest::verify {

VerifyResult verify_pagerduty(const Headers& headers, std::string_view body, const Secrets& secrets,
                              std::int64_t now);

}  // namespace aof::ingest::verify
