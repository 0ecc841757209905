#pragma once
// The "X-Hub-Signature" family: "sha256=" + hex HMAC-SHA256(secret, raw body), one header,
// nothing else signed (no timestamp, so no replay window: dedup by delivery id covers
// redeliveries). Each function reads exactly one header; the value must be exactly
// "sha256=" (lower-case) followed by 64 hex digits (either case). Missing header →
// kMissingHeader; any other shape (no or other prefix, "sha1=", short or long digest,
// non-hex, over kMaxHeaderBytes) → kMalformed; no active secret produced it → kBadSignature.

#include "common/ingest/verify/verify.h"

namespace aof::ingest::verify {

// GitHub: X-Hub-Signature-256. (GitHub's legacy SHA-1 X-Hub-Signature is not read.)
VerifyResult verify_github(const Headers& headers, std::string_view body, const Secrets& secrets,
                           std::int64_t now);

// WhatsApp Cloud API (Meta webhooks): X-Hub-Signature-256, keyed with the app secret.
VerifyResult verify_whatsapp(const Headers& headers, std::string_view body, const Secrets& secrets,
                             std::int64_t now);

// Bitbucket Cloud and Bitbucket Data Center (Server) alike: X-Hub-Signature. Both document
// HMAC-SHA256 as "sha256=<hex>" (Data Center: "the default for this algorithm is
// HMACSha256"); neither documents another algorithm, so a "sha1=" value is refused rather
// than accepted as a downgrade. Data Center's alternative, Basic authentication, is not a
// signature and is not handled here.
VerifyResult verify_bitbucket(const Headers& headers, std::string_view body, const Secrets& secrets,
                              std::int64_t now);

// Jira Cloud admin webhooks registered with a secret: X-Hub-Signature (WebSub
// method=signature). AOF (reference §3.6) accepted the header only when present, and also
// accepted the secret itself verbatim as the value and a "sha1=" prefix; here the header is
// mandatory whenever secrets are configured and only the real HMAC verifies.
VerifyResult verify_jira(const Headers& headers, std::string_view body, const Secrets& secrets,
                         std::int64_t now);

}  // namespace aof::ingest::verify
