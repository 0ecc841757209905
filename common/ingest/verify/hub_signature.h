#pragma once
// The "X-Hub-Signature" family: "sha256=" + hex HMAC-SHA256(secret, raw body), one header,
// nothing else signed (no timestamp, so no replay window: dedup by delivery id covers
// redeliveries). The value must be exactly "sha256=" (lower-case) followed by 64 hex digits
// (either case). Missing header → kMissingHeader; any other shape (no or other prefix,
// "sha1=", short or long digest, non-hex, over kMaxHeaderBytes) → kMalformed; no active
// secret produced it → kBadSignature. The providers differ only in the header's name, so
// there are two functions and one name per provider for them.

#include "common/ingest/verify/verify.h"

namespace aof::ingest::verify {

// Reads X-Hub-Signature-256.
VerifyResult verify_hub_signature_256(const Headers& headers, std::string_view body,
                                      const Secrets& secrets, std::int64_t now);

// Reads X-Hub-Signature (the name GitHub used for SHA-1; these providers send SHA-256 in it).
VerifyResult verify_hub_signature(const Headers& headers, std::string_view body,
                                  const Secrets& secrets, std::int64_t now);

// GitHub: X-Hub-Signature-256. (GitHub's legacy SHA-1 X-Hub-Signature is not read.)
inline constexpr auto* verify_github = &verify_hub_signature_256;

// WhatsApp Cloud API (Meta webhooks): X-Hub-Signature-256, keyed with the app secret.
inline constexpr auto* verify_whatsapp = &verify_hub_signature_256;

// Bitbucket Cloud and Bitbucket Data Center (Server) alike: X-Hub-Signature. Both document
// HMAC-SHA256 as "sha256=<hex>" (Data Center: "the default for this algorithm is
// HMACSha256"); neither documents another algorithm, so a "sha1=" value is refused rather
// than accepted as a downgrade. Data Center's alternative, Basic authentication, is not a
// signature and is not handled here.
inline constexpr auto* verify_bitbucket = &verify_hub_signature;

// Jira Cloud admin webhooks registered with a secret: X-Hub-Signature (WebSub
// method=signature). AOF (reference §3.6) read the header only when present, and also
// accepted the secret itself verbatim as the value and a "sha1=" prefix; here the header is
// mandatory whenever secrets are configured and only the real HMAC verifies. (Webhooks that
// Connect/OAuth apps register are signed with a JWT instead and are not covered.)
inline constexpr auto* verify_jira = &verify_hub_signature;

}  // namespace aof::ingest::verify
