#include "common/event/body_codec.h"

#include <doctest/doctest.h>

namespace aof::event {
namespace {

TEST_CASE("well-formed utf-8 is accepted") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii {\"json\": 1}"));
  CHECK(is_valid_utf8(std::string("nul \0 inside", 12)));
  CHECK(is_valid_utf8("\xC3\xA9"));          // é
  CHECK(is_valid_utf8("\xE2\x82\xAC"));      // €
  CHECK(is_valid_utf8("\xEF\xBF\xBF"));      // U+FFFF
  CHECK(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  CHECK(is_valid_utf8("\xF0\x9F\x98\x80"));  // 😀
  CHECK(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST_CASE("malformed utf-8 is refused") {
  CHECK_FALSE(is_valid_utf8("\x80"));              // lone continuation
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong, 3 bytes
  CHECK_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // overlong, 4 bytes
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // U+D800 surrogate
  CHECK_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // U+DFFF surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  CHECK_FALSE(is_valid_utf8("\xFF"));
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
  CHECK_FALSE(is_valid_utf8("ok\xE2\x82"));        // truncated at the end
  CHECK_FALSE(is_valid_utf8("\xE2\x28\xA1"));      // bad continuation
  CHECK_FALSE(is_valid_utf8("\x1F\x8B\x08\x00"));  // gzip magic
}

TEST_CASE("base64 matches the RFC 4648 vectors") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64_encode(plain) == encoded);
    const auto decoded = base64_decode(encoded);
    REQUIRE(decoded.ok());
    CHECK(*decoded == plain);
    CHECK(base64_decoded_size(encoded) == std::string(plain).size());
  }
  CHECK(base64_encode("\xFB\xFF") == "+/8=");
}

TEST_CASE("every byte string survives a base64 round trip") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (std::size_t n = 0; n <= bytes.size(); ++n) {
    const std::string prefix = bytes.substr(0, n);
    const auto decoded = base64_decode(base64_encode(prefix));
    REQUIRE(decoded.ok());
    CHECK(*decoded == prefix);
  }
}

TEST_CASE("base64 decoding is strict") {
  const std::pair<const char*, const char*> bad[] = {
      {"Zg=", "invalid base64: length 3 is not a multiple of 4"},
      {"Zh==", "invalid base64 at offset 1: non-zero bits before the padding"},
      {"Zm9=", "invalid base64 at offset 2: non-zero bits before the padding"},
      {"Zm9v\nAAA", "invalid base64 at offset 4: not a base64 character"},
      {"Zg=a", "invalid base64 at offset 2: not a base64 character"},
      {"====", "invalid base64 at offset 0: not a base64 character"},
      {"Z===", "invalid base64 at offset 1: not a base64 character"},
      {"Zm-_", "invalid base64 at offset 2: not a base64 character"},  // url alphabet
  };
  for (const auto& [text, message] : bad) {
    const auto decoded = base64_decode(text);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().code() == ErrorCode::kInvalidArgument);
    CHECK(decoded.error().message() == message);
  }
}

}  // namespace
}  // namespace aof::event
