#include "common/ingest/verify/slack.h"

namespace aof::ingest::verify {

VerifyResult verify_slack(const Headers& headers, std::string_view body, const Secrets& secrets,
                          std::int64_t now, std::int64_t tolerance_secs) {
  std::string_view signature;
  std::string_view timestamp;
  if (auto failed = read_header(headers, "x-slack-signature", signature)) return *failed;
  if (auto failed = read_header(headers, "x-slack-request-timestamp", timestamp)) return *failed;
  std::optional<std::string> digest =
      parse_digest(signature, "v0=", DigestAlgorithm::kSha256, DigestEncoding::kHex);
  if (!digest) return failure(Outcome::kMalformed, "x-slack-signature: expected v0= and 64 hex");
  const Outcome fresh = check_timestamp(timestamp, now, tolerance_secs);
  if (fresh != Outcome::kVerified) return failure(fresh, "x-slack-request-timestamp");
  return verify_hmac(secrets, now, DigestAlgorithm::kSha256, {"v0:", timestamp, ":", body},
                     {std::move(*digest)});
}

}  // namespace aof::ingest::verify
