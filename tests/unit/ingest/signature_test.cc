#include <doctest/doctest.h>

#include "common/ingest/signature.h"
#include "tests/unit/ingest/ingest_test_support.h"

namespace aof::ingest {
namespace {

using testing::secret;

constexpr std::int64_t kNow = 1'700'000'000;

// GitHub's documented test values ("Validating webhook deliveries": "Testing the webhook
// payload validation").
constexpr const char* kGithubSecret = "It's a Secret to Everybody";
constexpr const char* kGithubPayload = "Hello, World!";
constexpr const char* kGithubDigest =
    "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

TEST_CASE("HMAC-SHA256 matches GitHub's documented test vector") {
  CHECK(hex_encode(hmac_sha256(kGithubSecret, kGithubPayload)) == kGithubDigest);
  CHECK(testing::github_signature(kGithubSecret, kGithubPayload) ==
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

TEST_CASE("HMAC-SHA256 matches RFC 4231 test cases 1 and 2") {
  CHECK(hex_encode(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
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

TEST_CASE("digests compare equal only with the same length and bytes") {
  CHECK(digests_equal("abc", "abc"));
  CHECK_FALSE(digests_equal("abc", "abd"));
  CHECK_FALSE(digests_equal("abc", "abcd"));
  CHECK_FALSE(digests_equal("", ""));  // an empty digest (HMAC failure) never matches
}

TEST_CASE("verification reports which secret verified") {
  const std::vector<config::Secret> secrets = {secret("old", "env OLD"),
                                               secret(kGithubSecret, "env NEW")};
  const auto verified = verify_hmac_sha256_hex(secrets, kGithubPayload, kGithubDigest, kNow);
  REQUIRE(verified.has_value());
  CHECK(verified->index == 1);
  CHECK(verified->label == "env NEW");
}

TEST_CASE("upper-case hex verifies; a truncated, tampered or non-hex digest does not") {
  const std::vector<config::Secret> secrets = {secret(kGithubSecret)};
  std::string upper = kGithubDigest;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(verify_hmac_sha256_hex(secrets, kGithubPayload, upper, kNow).has_value());
  CHECK_FALSE(verify_hmac_sha256_hex(secrets, kGithubPayload,
                                     std::string(kGithubDigest).substr(0, 62), kNow));
  std::string tampered = kGithubDigest;
  tampered[10] = tampered[10] == '0' ? '1' : '0';
  CHECK_FALSE(verify_hmac_sha256_hex(secrets, kGithubPayload, tampered, kNow));
  CHECK_FALSE(verify_hmac_sha256_hex(secrets, "Hello, World?", kGithubDigest, kNow));
  CHECK_FALSE(verify_hmac_sha256_hex(secrets, kGithubPayload, std::string(64, 'g'), kNow));
}

TEST_CASE("rotation: only secrets active at the time verify") {
  const std::string digest = kGithubDigest;
  SUBCASE("expired secret is refused") {
    const std::vector<config::Secret> secrets = {
        secret(kGithubSecret, "expired", std::nullopt, kNow - 10)};
    CHECK_FALSE(verify_hmac_sha256_hex(secrets, kGithubPayload, digest, kNow));
  }
  SUBCASE("not yet valid secret is refused") {
    const std::vector<config::Secret> secrets = {
        secret(kGithubSecret, "future", kNow + 10, std::nullopt)};
    CHECK_FALSE(verify_hmac_sha256_hex(secrets, kGithubPayload, digest, kNow));
  }
  SUBCASE("the second of two active secrets verifies while the first is retired") {
    const std::vector<config::Secret> secrets = {
        secret("retiring", "first", std::nullopt, kNow + 3600),
        secret(kGithubSecret, "second", kNow - 3600, std::nullopt)};
    const auto verified = verify_hmac_sha256_hex(secrets, kGithubPayload, digest, kNow);
    REQUIRE(verified.has_value());
    CHECK(verified->index == 1);
  }
  SUBCASE("an empty secret never verifies") {
    const std::vector<config::Secret> secrets = {secret("")};
    const std::string empty_key_digest = hex_encode(hmac_sha256("", kGithubPayload));
    CHECK_FALSE(verify_hmac_sha256_hex(secrets, kGithubPayload, empty_key_digest, kNow));
  }
}

}  // namespace
}  // namespace aof::ingest
