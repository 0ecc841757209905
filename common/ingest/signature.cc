#include "common/ingest/signature.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>

#include "common/event/body_codec.h"

namespace aof::ingest {
namespace {

using MacCtx = std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)>;
using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// OpenSSL's name for the digest ("SHA1", "SHA2-256", ...).
const char* openssl_digest_name(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::kSha1:
      return "SHA1";
    case DigestAlgorithm::kSha256:
      return "SHA256";
    case DigestAlgorithm::kSha512:
      return "SHA512";
  }
  return "SHA256";
}

// The HMAC implementation, fetched once per process (EVP_MAC objects are shareable between
// threads; a context is made per call).
EVP_MAC* hmac_implementation() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

}  // namespace

std::size_t digest_size(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::kSha1:
      return 20;
    case DigestAlgorithm::kSha256:
      return 32;
    case DigestAlgorithm::kSha512:
      return 64;
  }
  return 0;
}

std::string_view to_string(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::kSha1:
      return "sha1";
    case DigestAlgorithm::kSha256:
      return "sha256";
    case DigestAlgorithm::kSha512:
      return "sha512";
  }
  return "sha256";
}

std::string hmac(DigestAlgorithm algorithm, std::string_view key,
                 std::initializer_list<std::string_view> parts) {
  EVP_MAC* mac = hmac_implementation();
  if (mac == nullptr) return {};
  MacCtx ctx(EVP_MAC_CTX_new(mac), &EVP_MAC_CTX_free);
  if (!ctx) return {};
  std::array<OSSL_PARAM, 2> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                       const_cast<char*>(openssl_digest_name(algorithm)), 0),
      OSSL_PARAM_construct_end()};
  // An empty key is a valid HMAC key; OpenSSL wants a non-null pointer for it.
  static constexpr unsigned char kEmpty = 0;
  const unsigned char* key_ptr = key.empty() ? &kEmpty : bytes_of(key);
  if (EVP_MAC_init(ctx.get(), key_ptr, key.size(), params.data()) != 1) return {};
  for (const std::string_view part : parts) {
    if (EVP_MAC_update(ctx.get(), bytes_of(part), part.size()) != 1) return {};
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  std::size_t out_len = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &out_len, out.size()) != 1) return {};
  return std::string(reinterpret_cast<const char*>(out.data()), out_len);
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
  return hmac(DigestAlgorithm::kSha256, key, {message});
}

// The envelope's codec (common/event/body_codec.h) is just as strict; one implementation.
std::string base64_encode(std::string_view bytes) { return event::base64_encode(bytes); }

std::optional<std::string> base64_decode(std::string_view text) {
  auto decoded = event::base64_decode(text);
  if (!decoded.ok()) return std::nullopt;
  return std::move(*decoded);
}

bool ed25519_verify(std::string_view public_key, std::string_view signature,
                    std::string_view message) {
  if (public_key.size() != kEd25519PublicKeyBytes || signature.size() != kEd25519SignatureBytes) {
    return false;
  }
  PKey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes_of(public_key),
                                       public_key.size()),
           &EVP_PKEY_free);
  if (!key) return false;
  MdCtx ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  // Ed25519 takes no digest (nullptr) and signs the whole message in one call.
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(), bytes_of(message),
                          message.size()) == 1;
}

bool digests_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace aof::ingest
