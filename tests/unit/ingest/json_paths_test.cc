#include <doctest/doctest.h>

#include <random>

#include "common/ingest/bounded_json.h"
#include "common/ingest/json_paths.h"
#include "tests/unit/ingest/ingest_test_support.h"

namespace aof::ingest {
namespace {

using Kind = JsonScalar::Kind;
using Number = JsonScalar::Number;

const JsonPaths& paths() {
  static const JsonPaths p({"a", "b.c", "b.d.e", "b", "list", "n", "s"});
  return p;
}

// The scan and a full parse agree: both refuse (with the same message), or both accept and
// hold the same values.
void check_agrees(const std::string& text) {
  CAPTURE(text);
  const auto scanned = extract_json_paths(text, paths());
  const auto parsed = parse_json_object(text);
  REQUIRE(scanned.ok() == parsed.ok());
  if (!parsed.ok()) {
    CHECK(scanned.error().message() == parsed.error().message());
    return;
  }
  CHECK(*scanned == extract_json_tree_paths(*parsed, paths()));
}

TEST_CASE("the scan keeps only the requested paths, typed as nlohmann types them") {
  const auto v = extract_json_paths(
      R"({"a":"x\ty\u00e9\ud83d\ude00","b":{"c":-7,"d":{"e":[1,[2],{}]}},"n":18446744073709551615,)"
      R"("s":true,"other":{"a":1}})",
      paths());
  REQUIRE(v.ok());
  CHECK((*v)[0].kind == Kind::kString);
  CHECK((*v)[0].text == "x\ty\xc3\xa9\xf0\x9f\x98\x80");
  CHECK((*v)[1].kind == Kind::kNumber);
  CHECK((*v)[1].number == Number::kInteger);
  CHECK(static_cast<std::int64_t>((*v)[1].bits) == -7);
  CHECK((*v)[2].kind == Kind::kArray);
  CHECK((*v)[2].size == 3);
  CHECK((*v)[3].kind == Kind::kObject);
  CHECK((*v)[4].kind == Kind::kAbsent);
  CHECK((*v)[5].number == Number::kUnsigned);
  CHECK((*v)[5].bits == 18446744073709551615ull);
  CHECK((*v)[6].kind == Kind::kBool);
  CHECK((*v)[6].boolean);
}

TEST_CASE("a repeated key wins with everything below it, as in the parsed tree") {
  const std::string text = R"({"b":{"c":1,"d":{"e":2}},"b":{"c":"two"},"a":1,"a":null})";
  check_agrees(text);
  const auto v = extract_json_paths(text, paths());
  REQUIRE(v.ok());
  CHECK((*v)[1].text == "two");
  CHECK((*v)[2].kind == Kind::kAbsent);  // b.d.e came with the first "b" only
  CHECK((*v)[0].kind == Kind::kNull);
}

TEST_CASE("keys are matched after their escapes are decoded") {
  const auto v = extract_json_paths(R"({"\u0061":1,"b":{"\u0063":2}})", paths());
  REQUIRE(v.ok());
  CHECK((*v)[0].bits == 1);
  CHECK((*v)[1].bits == 2);
}

TEST_CASE("valid documents: the scan holds what the parsed tree holds") {
  for (const char* text : {
           R"({})",
           " \t\r\n{ \"a\" : [ ] , \"b\" : { } } \n",
           "\xEF\xBB\xBF{\"a\":1}",  // a UTF-8 BOM is skipped, as nlohmann skips it
           R"({"n":-0})",
           R"({"n":-9223372036854775808})",
           R"({"n":-9223372036854775809})",  // beyond int64: a double
           R"({"n":18446744073709551616})",  // beyond uint64: a double
           R"({"n":1.5e-400})",              // underflows to 0: finite, accepted
           R"({"n":0.5,"a":1E+2,"s":1e-2})",
           R"({"s":"\"\\\/\b\f\n\r\t\u0000\u001f\u007f"})",
           "{\"s\":\"\x7f \xc2\x80 \xe0\xa0\x80 \xed\x9f\xbf \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf\"}",
           R"({"list":[1,"x",null,true,false,{"a":[]}],"b":null})",
           R"({"b":"not an object","a":{"nested":"object"}})",
       }) {
    check_agrees(text);
  }
  for (const char* name : {"pull_request_opened.json", "push.json", "issues_opened.json",
                           "issue_comment_created.json", "ping.json"}) {
    check_agrees(testing::fixture(name));
  }
}

TEST_CASE("invalid documents are refused as a full parse refuses them") {
  for (const std::string& text : {
           std::string(""),
           std::string("   "),
           std::string("[1,2]"),
           std::string("\"s\""),
           std::string("null"),
           std::string("{\"a\":1} trailing"),
           std::string("{\"a\":1}}"),
           std::string("{\"a\":1,}"),
           std::string("{\"a\" 1}"),
           std::string("{a:1}"),
           std::string("{\"a\":01}"),
           std::string("{\"a\":-}"),
           std::string("{\"a\":1.}"),
           std::string("{\"a\":.5}"),
           std::string("{\"a\":+1}"),
           std::string("{\"a\":1e}"),
           std::string("{\"a\":1e400}"),  // nlohmann: number overflow
           std::string("{\"a\":-1e400}"),
           std::string("{\"a\":tru}"),
           std::string("{\"a\":nul}"),
           std::string("{\"a\":[1,]}"),
           std::string("{\"a\":\"unterminated}"),
           std::string("{\"a\":\"\\x\"}"),
           std::string("{\"a\":\"\\u12\"}"),
           std::string("{\"a\":\"\\ud800\"}"),  // lone high surrogate
           std::string("{\"a\":\"\\udc00\"}"),  // lone low surrogate
           std::string("{\"a\":\"\\ud800\\u0041\"}"),
           std::string("{\"a\":\"tab\there\"}"),
           std::string("{\"a\":\"\xff\"}"),
           std::string("{\"a\":\"\xc0\x80\"}"),          // overlong
           std::string("{\"a\":\"\xed\xa0\x80\"}"),      // encoded surrogate
           std::string("{\"a\":\"\xf4\x90\x80\x80\"}"),  // above U+10FFFF
           std::string("{\"a\":\"\xe2\x82\"}"),          // truncated sequence
           std::string("{\"a\":1}\0", 8),                // nlohmann stops at a NUL: accepted
           std::string("{\"a\":1} \0junk", 13),
           // Found by fuzz/github_payload_fuzz: brackets after the NUL are never parsed, so
           // they must not count against the depth limit either.
           std::string("{}\0", 3) + std::string(100, '['),
           std::string("{\"a\":\"x\0", 8) + std::string(100, '['),
           std::string("{\"a\":\0}", 7),
           std::string("\0", 1),
           std::string("\xEF\xBB{\"a\":1}"),  // half a BOM
           std::string("{\"a\":1"),
       }) {
    check_agrees(text);
  }
}

TEST_CASE("64 levels are read; 65 are refused with parse_json_object's message") {
  const auto nested = [](std::size_t depth) {
    return "{\"a\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
  };
  CHECK(extract_json_paths(nested(63), paths()).ok());
  const auto refused = extract_json_paths(nested(64), paths());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message() == "JSON nesting exceeds 64 levels");
  // Invalid after the depth limit, or before it: the depth is reported either way, as the
  // pre-scan of parse_json_object reports it.
  check_agrees("{\"a\":" + std::string(100, '[') + "x");
  check_agrees("{\"a\":x" + std::string(100, '['));
}

TEST_CASE("a nesting bomb stops at the depth limit without recursing") {
  const std::string bomb = "{\"a\":" + std::string(5'000'000, '[');
  const auto refused = extract_json_paths(bomb, paths());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message() == "JSON nesting exceeds 64 levels");
}

// Mutations of valid documents (byte changes, cuts, insertions of JSON's special bytes):
// the scan must accept exactly what the full parse accepts, with the same values.
TEST_CASE("mutated documents: the scan and the full parse agree on every one") {
  const std::vector<std::string> seeds = {
      testing::fixture("pull_request_opened.json"),
      R"({"a":"\u00e9\ud83d\ude00x","b":{"c":[1,-2.5e3,true],"d":{"e":null}},"n":-0,"s":"\/"})",
      "{\"s\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\"list\":[[],{},\"\"],\"n\":12345678901}",
  };
  constexpr char kSpecials[] =
      "{}[]\":,\\/ubfnrt0123456789.eE+-\x00\x1f\x7f\x80\xbf\xc3\xed\xf4\xff";
  const std::string specials(kSpecials, sizeof kSpecials - 1);  // the NUL included
  std::mt19937 rng(20261126);                                   // fixed: the same cases every run
  for (int i = 0; i < 20000; ++i) {
    std::string text = seeds[static_cast<std::size_t>(i) % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = rng() % text.size();
      const char c = specials[rng() % specials.size()];
      switch (rng() % 4) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(at, 1, c);
          break;
        case 2:
          text.erase(at, 1);
          break;
        default:
          text.resize(at);
      }
    }
    check_agrees(text);
  }
}

}  // namespace
}  // namespace aof::ingest
