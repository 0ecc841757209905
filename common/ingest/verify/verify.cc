#include "common/ingest/verify/verify.h"

#include <charconv>
#include <limits>

namespace aof::ingest::verify {

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kVerified:
      return "verified";
    case Outcome::kMissingHeader:
      return "missing_header";
    case Outcome::kMalformed:
      return "malformed";
    case Outcome::kBadSignature:
      return "bad_signature";
    case Outcome::kStaleTimestamp:
      return "stale_timestamp";
    case Outcome::kNoActiveSecret:
      return "no_active_secret";
  }
  return "malformed";
}

std::string_view to_string(DigestEncoding encoding) {
  return encoding == DigestEncoding::kHex ? "hex" : "base64";
}

VerifyResult failure(Outcome outcome, std::string detail) {
  VerifyResult result;
  result.outcome = outcome;
  result.detail = std::move(detail);
  return result;
}

VerifyResult verify_with_secrets(const Secrets& secrets, std::int64_t now,
                                 const std::function<bool(std::string_view secret)>& matches) {
  std::optional<std::size_t> found;
  bool tried = false;
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    const config::Secret& secret = secrets[i];
    if (secret.bytes.empty() || !secret.active_at(now)) continue;
    tried = true;
    const bool match = matches(secret.bytes);  // evaluated for every active secret
    if (match && !found) found = i;
  }
  if (!tried) return failure(Outcome::kNoActiveSecret, "no secret is active");
  if (!found) return failure(Outcome::kBadSignature, "no active secret verified the signature");
  VerifyResult result;
  result.outcome = Outcome::kVerified;
  result.secret_index = *found;
  result.secret_label = secrets[*found].label;
  return result;
}

VerifyResult verify_hmac(const Secrets& secrets, std::int64_t now, DigestAlgorithm algorithm,
                         std::initializer_list<std::string_view> signed_parts,
                         const std::vector<std::string>& presented) {
  return verify_with_secrets(secrets, now, [&](std::string_view secret) {
    const std::string expected = hmac(algorithm, secret, signed_parts);
    bool any = false;
    for (const std::string& digest : presented) any |= digests_equal(expected, digest);
    return any;
  });
}

VerifyResult verify_token(const Secrets& secrets, std::int64_t now, std::string_view presented) {
  const std::string presented_digest = sha256(presented);
  return verify_with_secrets(secrets, now, [&](std::string_view secret) {
    return digests_equal(sha256(secret), presented_digest);
  });
}

std::optional<VerifyResult> read_header(const Headers& headers, std::string_view name,
                                        std::string_view& value, std::size_t max_bytes) {
  const auto it = headers.find(std::string(name));
  if (it == headers.end()) return failure(Outcome::kMissingHeader, std::string(name) + ": absent");
  if (it->second.empty()) return failure(Outcome::kMalformed, std::string(name) + ": empty");
  if (it->second.size() > max_bytes) {
    return failure(Outcome::kMalformed,
                   std::string(name) + ": longer than " + std::to_string(max_bytes) + " bytes");
  }
  value = it->second;
  return std::nullopt;
}

std::optional<std::string> parse_digest(std::string_view text, std::string_view prefix,
                                        DigestAlgorithm algorithm, DigestEncoding encoding) {
  if (text.substr(0, prefix.size()) != prefix) return std::nullopt;
  const std::string_view encoded = text.substr(prefix.size());
  std::optional<std::string> raw =
      encoding == DigestEncoding::kHex ? hex_decode(encoded) : base64_decode(encoded);
  if (!raw || raw->size() != digest_size(algorithm)) return std::nullopt;
  return raw;
}

Outcome check_timestamp(std::string_view timestamp, std::int64_t now, std::int64_t tolerance_secs) {
  constexpr std::size_t kMaxDigits = std::numeric_limits<std::int64_t>::digits10 + 1;  // 19
  if (timestamp.empty() || timestamp.size() > kMaxDigits) return Outcome::kMalformed;
  for (const char c : timestamp) {
    if (c < '0' || c > '9') return Outcome::kMalformed;
  }
  std::int64_t value = 0;
  const auto [end, ec] =
      std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), value);
  if (ec != std::errc() || end != timestamp.data() + timestamp.size()) return Outcome::kMalformed;
  // Both are non-negative here in practice; compare without subtracting past int64's range.
  const std::int64_t later = std::max(value, now);
  const std::int64_t earlier = std::min(value, now);
  if (earlier < 0 && later > std::numeric_limits<std::int64_t>::max() + earlier) {
    return Outcome::kStaleTimestamp;
  }
  return later - earlier <= tolerance_secs ? Outcome::kVerified : Outcome::kStaleTimestamp;
}

}  // namespace aof::ingest::verify
