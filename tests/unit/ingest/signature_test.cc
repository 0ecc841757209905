#include <doctest/doctest.h>

#include "common/ingest/signature.h"

namespace aof::ingest {
namespace {

// Expected values below are literals from the RFCs (checked against `openssl dgst` output),
// never computed with the functions under test.

std::string hex_hmac(DigestAlgorithm algorithm, const std::string& key, const std::string& msg) {
  return hex_encode(hmac(algorithm, key, {msg}));
}

std::string unhex(std::string_view hex) { return hex_decode(hex).value(); }

TEST_CASE("HMAC-SHA256 matches GitHub's documented test vector") {
  // docs.github.com "Validating webhook deliveries": "Testing the webhook payload validation".
  CHECK(hex_encode(hmac_sha256("It's a Secret to Everybody", "Hello, World!")) ==
        "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

TEST_CASE("HMAC-SHA256 and HMAC-SHA512 match RFC 4231 test cases 1 and 2") {
  const std::string key1(20, '\x0b');
  CHECK(hex_hmac(DigestAlgorithm::kSha256, key1, "Hi There") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hex_hmac(DigestAlgorithm::kSha256, "Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(hex_hmac(DigestAlgorithm::kSha512, key1, "Hi There") ==
        "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
        "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
  CHECK(hex_hmac(DigestAlgorithm::kSha512, "Jefe", "what do ya want for nothing?") ==
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
        "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

TEST_CASE("HMAC-SHA1 matches RFC 2202 test cases 1 and 2") {
  CHECK(hex_hmac(DigestAlgorithm::kSha1, std::string(20, '\x0b'), "Hi There") ==
        "b617318655057264e28bc0b6fb378c8ef146be00");
  CHECK(hex_hmac(DigestAlgorithm::kSha1, "Jefe", "what do ya want for nothing?") ==
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST_CASE("HMAC over parts equals HMAC over their concatenation") {
  CHECK(hex_encode(
            hmac(DigestAlgorithm::kSha256, "Jefe", {"what do ", "", "ya want for nothing?"})) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("digest sizes and names") {
  CHECK(digest_size(DigestAlgorithm::kSha1) == 20);
  CHECK(digest_size(DigestAlgorithm::kSha256) == 32);
  CHECK(digest_size(DigestAlgorithm::kSha512) == 64);
  CHECK(to_string(DigestAlgorithm::kSha512) == "sha512");
}

TEST_CASE("SHA-256 of the empty string") {
  CHECK(hex_encode(sha256("")) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("hex decoding accepts both cases and refuses odd lengths and non-hex") {
  CHECK(hex_decode("00ff7A") == std::string("\x00\xff\x7a", 3));
  CHECK(hex_decode("") == std::string());
  CHECK_FALSE(hex_decode("abc").has_value());
  CHECK_FALSE(hex_decode("zz").has_value());
  CHECK(hex_encode(std::string("\x00\xab", 2)) == "00ab");
}

TEST_CASE("base64 matches RFC 4648 section 10 both ways") {
  const std::vector<std::pair<std::string, std::string>> vectors = {{"", ""},
                                                                    {"f", "Zg=="},
                                                                    {"fo", "Zm8="},
                                                                    {"foo", "Zm9v"},
                                                                    {"foob", "Zm9vYg=="},
                                                                    {"fooba", "Zm9vYmE="},
                                                                    {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64_encode(plain) == encoded);
    CHECK(base64_decode(encoded) == plain);
  }
  CHECK(base64_encode(std::string("\xfb\xff", 2)) == "+/8=");
  CHECK(base64_decode("+/8=") == std::string("\xfb\xff", 2));
}

TEST_CASE("base64 decoding is strict") {
  CHECK_FALSE(base64_decode("Zg").has_value());        // unpadded
  CHECK_FALSE(base64_decode("Zg=").has_value());       // length not a multiple of 4
  CHECK_FALSE(base64_decode("Z===").has_value());      // too much padding
  CHECK_FALSE(base64_decode("Zg=a").has_value());      // data after padding
  CHECK_FALSE(base64_decode("Zg==Zg==").has_value());  // padding before the end
  CHECK_FALSE(base64_decode("Zh==").has_value());      // non-zero bits under the padding
  CHECK_FALSE(base64_decode("Zm9-").has_value());      // URL alphabet
  CHECK_FALSE(base64_decode("Zm9 ").has_value());      // whitespace
}

TEST_CASE("digests compare equal only with the same length and bytes") {
  CHECK(digests_equal("abc", "abc"));
  CHECK_FALSE(digests_equal("abc", "abd"));
  CHECK_FALSE(digests_equal("abc", "abcd"));
  CHECK_FALSE(digests_equal("", ""));  // an empty digest (HMAC failure) never matches
}

// RFC 8032 section 7.1, TEST 1-3 (public key, message, signature).
struct Ed25519Vector {
  const char* public_key;
  const char* message;
  const char* signature;
};
constexpr Ed25519Vector kRfc8032[] = {
    {"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701"
     "cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d"
     "0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f7609"
     "84dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

TEST_CASE("Ed25519 verifies RFC 8032 test vectors 1-3") {
  for (const Ed25519Vector& v : kRfc8032) {
    CAPTURE(v.public_key);
    CHECK(ed25519_verify(unhex(v.public_key), unhex(v.signature), unhex(v.message)));
  }
}

TEST_CASE("Ed25519 refuses a tampered message, signature or key and wrong lengths") {
  const Ed25519Vector& v = kRfc8032[2];
  const std::string key = unhex(v.public_key);
  const std::string sig = unhex(v.signature);
  const std::string msg = unhex(v.message);
  CHECK_FALSE(ed25519_verify(key, sig, msg + "x"));
  std::string bad_sig = sig;
  bad_sig[5] = static_cast<char>(bad_sig[5] ^ 0x01);
  CHECK_FALSE(ed25519_verify(key, bad_sig, msg));
  CHECK_FALSE(ed25519_verify(unhex(kRfc8032[1].public_key), sig, msg));  // another key
  CHECK_FALSE(ed25519_verify(key.substr(0, 31), sig, msg));
  CHECK_FALSE(ed25519_verify(key, sig.substr(0, 63), msg));
  CHECK_FALSE(ed25519_verify(key, sig + "0", msg));
}

}  // namespace
}  // namespace aof::ingest
