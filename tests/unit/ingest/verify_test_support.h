#pragma once
// Independent signing for the verification tests: OpenSSL's one-shot HMAC() and EVP
// Ed25519 signing, not the code under test (common/ingest/signature.cc uses EVP_MAC and only
// verifies), so a wrong verifier cannot agree with a wrong signer. Documented vectors are
// literals in the tests themselves.

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "common/config/secrets.h"
#include "common/ingest/signature.h"
#include "common/ingest/verify/verify.h"

namespace aof::ingest::testing {

inline const EVP_MD* evp_md(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::kSha1:
      return EVP_sha1();
    case DigestAlgorithm::kSha256:
      return EVP_sha256();
    case DigestAlgorithm::kSha512:
      return EVP_sha512();
  }
  return EVP_sha256();
}

// Raw HMAC(key, message) through OpenSSL's one-shot HMAC().
inline std::string reference_hmac(DigestAlgorithm algorithm, const std::string& key,
                                  const std::string& message) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  HMAC(evp_md(algorithm), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(), &len);
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

inline std::string reference_hmac_hex(DigestAlgorithm algorithm, const std::string& key,
                                      const std::string& message) {
  return hex_encode(reference_hmac(algorithm, key, message));
}

// A fresh Ed25519 key pair: sign() with the private key, public_hex() for the verifier.
class Ed25519KeyPair {
 public:
  Ed25519KeyPair() : key_(nullptr, &EVP_PKEY_free) {
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr), &EVP_PKEY_CTX_free);
    EVP_PKEY* key = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &key) != 1) {
      throw std::runtime_error("Ed25519 keygen failed");
    }
    key_.reset(key);
  }

  std::string public_hex() const {
    std::array<unsigned char, 32> raw{};
    std::size_t len = raw.size();
    EVP_PKEY_get_raw_public_key(key_.get(), raw.data(), &len);
    return hex_encode(std::string(reinterpret_cast<const char*>(raw.data()), len));
  }

  std::string sign_hex(const std::string& message) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::array<unsigned char, 64> sig{};
    std::size_t len = sig.size();
    EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get());
    EVP_DigestSign(ctx.get(), sig.data(), &len,
                   reinterpret_cast<const unsigned char*>(message.data()), message.size());
    return hex_encode(std::string(reinterpret_cast<const char*>(sig.data()), len));
  }

 private:
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
};

}  // namespace aof::ingest::testing
