// body_ref is read back from the broker: untrusted. Every bound is checked before a byte is
// fetched.
#include <doctest/doctest.h>

#include "common/queue/body_aside.h"

namespace aof::queue {
namespace {

constexpr std::size_t kMax = 26214400;
const std::string kSha(64, 'a');

std::string refused(const std::string& text) {
  auto ref = parse_body_ref(text, kMax);
  return ref.ok() ? "accepted" : ref.error().message();
}

TEST_CASE("a body_ref round-trips") {
  const BodyRef ref{"01HZX3QK5V6W7Y8Z9A0B1C2D3E", 20971520, 1044480, kSha};
  auto parsed = parse_body_ref(to_string(ref), kMax);
  REQUIRE(parsed.ok());
  CHECK(parsed->key == ref.key);
  CHECK(parsed->length == ref.length);
  CHECK(parsed->chunk_size == ref.chunk_size);
  CHECK(parsed->sha256 == kSha);
  CHECK(parsed->chunks() == 21);
}

TEST_CASE("a body_ref over the body limit is refused before anything is read") {
  CHECK(refused("aside1:K:26214401:1048576:" + kSha) ==
        "body_ref \"aside1:K:26214401:1048576:" + kSha +
            "\": the length 26214401 exceeds the 26214400-byte body limit");
  CHECK(refused("aside1:K:26214400:1048576:" + kSha) == "accepted");
}

TEST_CASE("malformed body_refs are refused with what is wrong") {
  CHECK(refused("s3://bucket/key").find("not of the form") != std::string::npos);
  CHECK(refused("aside1:K:10:4096").find("not of the form") != std::string::npos);
  CHECK(refused("aside1:K:10:4096:" + kSha + ":x").find("not of the form") != std::string::npos);
  CHECK(refused("aside1:../x:10:4096:" + kSha).find("letters or digits") != std::string::npos);
  CHECK(refused("aside1:K:-1:4096:" + kSha).find("positive integer") != std::string::npos);
  CHECK(refused("aside1:K:0:4096:" + kSha).find("positive integer") != std::string::npos);
  CHECK(refused("aside1:K:99999999999999999999999:4096:" + kSha).find("positive integer") !=
        std::string::npos);
  // A tiny chunk size would turn one body into millions of reads.
  CHECK(refused("aside1:K:10:1:" + kSha).find("chunk size") != std::string::npos);
  CHECK(refused("aside1:K:10:4096:" + std::string(64, 'G')).find("digest") != std::string::npos);
  CHECK(refused("aside1:K:10:4096:abc").find("digest") != std::string::npos);
}

}  // namespace
}  // namespace aof::queue
