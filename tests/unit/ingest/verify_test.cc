// The shared verifier (common/ingest/verify/verify.h): rotation, constant-time matching,
// bounded header reads, strict digest parsing and the replay window.
#include <doctest/doctest.h>

#include <limits>

#include "common/ingest/verify/verify.h"
#include "tests/unit/ingest/ingest_test_support.h"
#include "tests/unit/ingest/verify_test_support.h"

namespace aof::ingest::verify {
namespace {

using testing::secret;

constexpr std::int64_t kNow = 1'700'000'000;

// GitHub's documented example ("Validating webhook deliveries").
const std::string kGithubSecret = "It's a Secret to Everybody";
const std::string kGithubBody = "Hello, World!";
const std::string kGithubDigest =
    hex_decode("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17").value();

TEST_CASE("outcome names are the metric label values") {
  CHECK(to_string(Outcome::kVerified) == "verified");
  CHECK(to_string(Outcome::kMissingHeader) == "missing_header");
  CHECK(to_string(Outcome::kMalformed) == "malformed");
  CHECK(to_string(Outcome::kBadSignature) == "bad_signature");
  CHECK(to_string(Outcome::kStaleTimestamp) == "stale_timestamp");
  CHECK(to_string(Outcome::kNoActiveSecret) == "no_active_secret");
}

TEST_CASE("verify_hmac refuses a tampered body, a wrong secret and a tampered digest") {
  const Secrets secrets = {secret(kGithubSecret)};
  CHECK(verify_hmac(secrets, kNow, DigestAlgorithm::kSha256, {"Hello, World?"}, {kGithubDigest})
            .outcome == Outcome::kBadSignature);
  CHECK(verify_hmac({secret("It's a Secret to Everybody!")}, kNow, DigestAlgorithm::kSha256,
                    {kGithubBody}, {kGithubDigest})
            .outcome == Outcome::kBadSignature);
  std::string tampered = kGithubDigest;
  tampered[0] = static_cast<char>(tampered[0] ^ 0x01);
  CHECK_FALSE(verify_hmac(secrets, kNow, DigestAlgorithm::kSha256, {kGithubBody}, {tampered}).ok());
  // The right digest under another algorithm does not verify either.
  CHECK_FALSE(
      verify_hmac(secrets, kNow, DigestAlgorithm::kSha512, {kGithubBody}, {kGithubDigest}).ok());
}

TEST_CASE("verify_hmac: any of several presented digests verifies") {
  const Secrets secrets = {secret(kGithubSecret)};
  const std::string other(32, 'x');
  CHECK(verify_hmac(secrets, kNow, DigestAlgorithm::kSha256, {kGithubBody}, {other, kGithubDigest})
            .ok());
}

TEST_CASE("rotation: only secrets active at now are tried") {
  SUBCASE("an expired secret is refused") {
    const Secrets secrets = {secret(kGithubSecret, "expired", std::nullopt, kNow - 10)};
    CHECK(verify_hmac(secrets, kNow, DigestAlgorithm::kSha256, {kGithubBody}, {kGithubDigest})
              .outcome == Outcome::kNoActiveSecret);
  }
  SUBCASE("a not yet valid secret is refused") {
    const Secrets secrets = {secret("other"),
                             secret(kGithubSecret, "future", kNow + 10, std::nullopt)};
    CHECK(verify_hmac(secrets, kNow, DigestAlgorithm::kSha256, {kGithubBody}, {kGithubDigest})
              .outcome == Outcome::kBadSignature);
  }
  SUBCASE("the second of two active secrets verifies while the first is being retired") {
    const Secrets secrets = {secret("retiring", "first", std::nullopt, kNow + 3600),
                             secret(kGithubSecret, "second", kNow - 3600, std::nullopt)};
    const VerifyResult r =
        verify_hmac(secrets, kNow, DigestAlgorithm::kSha256, {kGithubBody}, {kGithubDigest});
    REQUIRE(r.ok());
    CHECK(r.secret_index == 1);
    CHECK(r.secret_label == "second");
  }
  SUBCASE("the window bounds are inclusive") {
    const Secrets secrets = {secret(kGithubSecret, "edge", kNow, kNow)};
    CHECK(
        verify_hmac(secrets, kNow, DigestAlgorithm::kSha256, {kGithubBody}, {kGithubDigest}).ok());
  }
  SUBCASE("an empty secret is never tried") {
    const Secrets secrets = {secret("")};
    const std::string empty_key =
        testing::reference_hmac(DigestAlgorithm::kSha256, "", kGithubBody);
    CHECK(
        verify_hmac(secrets, kNow, DigestAlgorithm::kSha256, {kGithubBody}, {empty_key}).outcome ==
        Outcome::kNoActiveSecret);
  }
  SUBCASE("no secrets at all") {
    CHECK(verify_hmac({}, kNow, DigestAlgorithm::kSha256, {kGithubBody}, {kGithubDigest}).outcome ==
          Outcome::kNoActiveSecret);
  }
}

TEST_CASE("the verifier tries every active secret even after a match") {
  const Secrets secrets = {secret("a"), secret("b", "t", std::nullopt, kNow - 1), secret("c"),
                           secret("d")};
  std::vector<std::string> tried;
  const VerifyResult r = verify_with_secrets(secrets, kNow, [&](std::string_view s) {
    tried.emplace_back(s);
    return s == "a" || s == "c";
  });
  REQUIRE(r.ok());
  CHECK(r.secret_index == 0);  // the first match in vector order
  CHECK(tried == std::vector<std::string>{"a", "c", "d"});
}

TEST_CASE("verify_token compares the value with each secret") {
  const Secrets secrets = {secret("first-token", "one"), secret("second-token", "two")};
  const VerifyResult r = verify_token(secrets, kNow, "second-token");
  REQUIRE(r.ok());
  CHECK(r.secret_label == "two");
  CHECK(verify_token(secrets, kNow, "second-toke").outcome == Outcome::kBadSignature);
  CHECK(verify_token(secrets, kNow, "second-token ").outcome == Outcome::kBadSignature);
  CHECK(verify_token(secrets, kNow, "SECOND-TOKEN").outcome == Outcome::kBadSignature);
  CHECK(verify_token(secrets, kNow, "").outcome == Outcome::kBadSignature);
}

TEST_CASE("read_header: missing, empty and oversized values are refused") {
  const Headers headers = {{"x-ok", "value"},
                           {"x-empty", ""},
                           {"x-max", std::string(kMaxHeaderBytes, 'a')},
                           {"x-big", std::string(kMaxHeaderBytes + 1, 'a')}};
  std::string_view value;
  CHECK_FALSE(read_header(headers, "x-ok", value).has_value());
  CHECK(value == "value");
  CHECK_FALSE(read_header(headers, "x-max", value).has_value());
  CHECK(read_header(headers, "x-absent", value)->outcome == Outcome::kMissingHeader);
  CHECK(read_header(headers, "x-empty", value)->outcome == Outcome::kMalformed);
  const auto big = read_header(headers, "x-big", value);
  REQUIRE(big.has_value());
  CHECK(big->outcome == Outcome::kMalformed);
  CHECK(big->detail == "x-big: longer than 1024 bytes");
}

TEST_CASE("parse_digest: exact prefix and exactly one digest") {
  const std::string hex(64, 'a');
  CHECK(parse_digest("sha256=" + hex, "sha256=", DigestAlgorithm::kSha256, DigestEncoding::kHex)
            .has_value());
  CHECK(parse_digest("sha256=" + std::string(64, 'A'), "sha256=", DigestAlgorithm::kSha256,
                     DigestEncoding::kHex)
            .has_value());
  CHECK_FALSE(parse_digest(hex, "sha256=", DigestAlgorithm::kSha256, DigestEncoding::kHex));
  CHECK_FALSE(
      parse_digest("SHA256=" + hex, "sha256=", DigestAlgorithm::kSha256, DigestEncoding::kHex));
  CHECK_FALSE(parse_digest("sha256=" + hex + "aa", "sha256=", DigestAlgorithm::kSha256,
                           DigestEncoding::kHex));
  CHECK_FALSE(parse_digest("sha256=" + hex.substr(2), "sha256=", DigestAlgorithm::kSha256,
                           DigestEncoding::kHex));
  CHECK_FALSE(
      parse_digest("sha256= " + hex, "sha256=", DigestAlgorithm::kSha256, DigestEncoding::kHex));
  // A SHA-1 digest where SHA-256 is expected is the wrong length.
  CHECK_FALSE(parse_digest("sha256=" + std::string(40, 'a'), "sha256=", DigestAlgorithm::kSha256,
                           DigestEncoding::kHex));
  const std::string b64 = base64_encode(std::string(64, '\x11'));
  CHECK(parse_digest(b64, "", DigestAlgorithm::kSha512, DigestEncoding::kBase64) ==
        std::string(64, '\x11'));
  CHECK_FALSE(parse_digest(b64, "", DigestAlgorithm::kSha256, DigestEncoding::kBase64));
}

TEST_CASE("replay window: within the tolerance either side, inclusive") {
  CHECK(check_timestamp("1700000000", kNow) == Outcome::kVerified);
  CHECK(check_timestamp("1699999700", kNow) == Outcome::kVerified);  // exactly 300 s old
  CHECK(check_timestamp("1700000300", kNow) == Outcome::kVerified);  // 300 s ahead
  CHECK(check_timestamp("1699999699", kNow) == Outcome::kStaleTimestamp);
  CHECK(check_timestamp("1700000301", kNow) == Outcome::kStaleTimestamp);
  CHECK(check_timestamp("0", kNow) == Outcome::kStaleTimestamp);
  CHECK(check_timestamp("1699999000", kNow, 1000) == Outcome::kVerified);
  CHECK(check_timestamp("1699999000", kNow, 999) == Outcome::kStaleTimestamp);
}

TEST_CASE("replay window: anything but 1-19 plain digits is malformed") {
  for (const char* bad :
       {"", "-1", "+1700000000", " 1700000000", "1700000000 ", "1700000000.5", "17e8", "0x10",
        "1,7", "abc", "99999999999999999999", "9223372036854775808", "00000000000000000000"}) {
    CAPTURE(bad);
    CHECK(check_timestamp(bad, kNow) == Outcome::kMalformed);
  }
  // The largest int64 parses and is simply stale.
  CHECK(check_timestamp("9223372036854775807", kNow) == Outcome::kStaleTimestamp);
  CHECK(check_timestamp("0001700000000", kNow) == Outcome::kVerified);
}

}  // namespace
}  // namespace aof::ingest::verify
