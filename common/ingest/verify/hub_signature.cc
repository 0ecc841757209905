#include "common/ingest/verify/hub_signature.h"

namespace aof::ingest::verify {
namespace {

VerifyResult verify_header(std::string_view header, const Headers& headers, std::string_view body,
                           const Secrets& secrets, std::int64_t now) {
  std::string_view value;
  if (auto failed = read_header(headers, header, value)) return *failed;
  std::optional<std::string> digest =
      parse_digest(value, "sha256=", DigestAlgorithm::kSha256, DigestEncoding::kHex);
  if (!digest) {
    return failure(Outcome::kMalformed, std::string(header) + ": expected sha256= and 64 hex");
  }
  return verify_hmac(secrets, now, DigestAlgorithm::kSha256, {body}, {std::move(*digest)});
}

}  // namespace

VerifyResult verify_hub_signature_256(const Headers& headers, std::string_view body,
                                      const Secrets& secrets, std::int64_t now) {
  return verify_header("x-hub-signature-256", headers, body, secrets, now);
}

VerifyResult verify_hub_signature(const Headers& headers, std::string_view body,
                                  const Secrets& secrets, std::int64_t now) {
  return verify_header("x-hub-signature", headers, body, secrets, now);
}

}  // namespace aof::ingest::verify
