#include "common/ingest/verify/discord.h"

namespace aof::ingest::verify {

VerifyResult verify_discord(const Headers& headers, std::string_view body,
                            const Secrets& public_keys, std::int64_t now,
                            std::int64_t tolerance_secs) {
  std::string_view signature_hex;
  std::string_view timestamp;
  if (auto failed = read_header(headers, "x-signature-ed25519", signature_hex)) return *failed;
  if (auto failed = read_header(headers, "x-signature-timestamp", timestamp)) return *failed;
  const std::optional<std::string> signature = hex_decode(signature_hex);
  if (!signature || signature->size() != kEd25519SignatureBytes) {
    return failure(Outcome::kMalformed, "x-signature-ed25519: expected 128 hex digits");
  }
  const Outcome fresh = check_timestamp(timestamp, now, tolerance_secs);
  if (fresh != Outcome::kVerified) return failure(fresh, "x-signature-timestamp");
  std::string message;
  message.reserve(timestamp.size() + body.size());
  message.append(timestamp).append(body);
  return verify_with_secrets(public_keys, now, [&](std::string_view key_hex) {
    const std::optional<std::string> key = hex_decode(key_hex);
    return key && ed25519_verify(*key, *signature, message);
  });
}

bool is_discord_public_key(std::string_view hex) {
  const std::optional<std::string> key = hex_decode(hex);
  return key && key->size() == kEd25519PublicKeyBytes;
}

}  // namespace aof::ingest::verify
