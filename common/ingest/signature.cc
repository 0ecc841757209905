#include "common/ingest/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <array>

namespace aof::ingest {
namespace {

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string hmac_sha256(std::string_view key, std::string_view message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int out_len = 0;
  // HMAC() with a stack result buffer needs no context object to free. An empty key is a
  // valid HMAC key; OpenSSL wants a non-null pointer for it.
  static const unsigned char kEmpty = 0;
  const unsigned char* key_ptr = key.empty() ? &kEmpty : bytes_of(key);
  const unsigned char* ok = HMAC(EVP_sha256(), key_ptr, static_cast<int>(key.size()),
                                 bytes_of(message), message.size(), out.data(), &out_len);
  if (ok == nullptr) return {};  // caller compares against it: an empty digest never matches
  return std::string(reinterpret_cast<const char*>(out.data()), out_len);
}

std::string sha256(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
  SHA256(bytes_of(data), data.size(), out.data());
  return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

std::optional<std::string> hex_decode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_value(hex[i]);
    const int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

bool digests_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<VerifiedSecret> verify_hmac_sha256_hex(const std::vector<config::Secret>& secrets,
                                                     std::string_view body,
                                                     std::string_view presented_hex,
                                                     std::int64_t now_unix_secs) {
  const std::optional<std::string> presented = hex_decode(presented_hex);
  if (!presented || presented->size() != kSha256Bytes) return std::nullopt;
  std::optional<VerifiedSecret> found;
  for (std::size_t i = 0; i < secrets.size(); ++i) {
    const config::Secret& secret = secrets[i];
    if (secret.bytes.empty() || !secret.active_at(now_unix_secs)) continue;
    const bool match = digests_equal(hmac_sha256(secret.bytes, body), *presented);
    if (match && !found) found = VerifiedSecret{i, secret.label};
  }
  return found;
}

}  // namespace aof::ingest
