#include "common/runtime/flow/stdout_parse.h"

#include <doctest/doctest.h>

namespace aof::runtime::flow {
namespace {

using Json = nlohmann::json;

Json parsed(const std::string& mode, const std::string& text, const std::string& pattern = "") {
  auto result = parse_stdout(mode, pattern, text);
  REQUIRE(result.ok());
  return *result;
}

TEST_CASE("text is trimmed; the default mode is text") {
  CHECK(parsed("text", "  hello world \n") == "hello world");
  CHECK(parsed("", "\tx\r\n") == "x");
}

TEST_CASE("json parses or fails") {
  CHECK(parsed("json", R"({"a":[1,2],"s":"x\"]]"})") == Json{{"a", {1, 2}}, {"s", "x\"]]"}});
  auto bad = parse_stdout("json", "", "not json");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code() == ErrorCode::kInternal);
  CHECK_FALSE(parse_stdout("json", "", "").ok());
  std::string deep(10000, '[');
  deep.append(10000, ']');
  auto too_deep = parse_stdout("json", "", deep);
  REQUIRE_FALSE(too_deep.ok());
  CHECK(too_deep.error().message().find("deeper") != std::string::npos);
  std::string ok_depth(kMaxJsonDepth, '[');
  ok_depth.append(kMaxJsonDepth, ']');
  CHECK(parse_stdout("json", "", ok_depth).ok());
}

TEST_CASE("lines drop terminators and blank lines") {
  CHECK(parsed("lines", "a\n\nb\r\n  \nc") == Json{"a", "b", "c"});
  CHECK(parsed("lines", " indented \n") == Json{" indented "});
  CHECK(parsed("lines", "") == Json::array());
}

TEST_CASE("regex gives one capture map per match, with named groups") {
  const auto matches = parsed("regex", "pod-a Running 3\npod-b Pending\nnoise\n",
                              R"((?<name>[a-z]+-[a-z]) (?P<status>\w+)( \d+)?)");
  REQUIRE(matches.size() == 2);
  CHECK(matches[0] == Json{{"$0", "pod-a Running 3"},
                           {"$1", "pod-a"},
                           {"$2", "Running"},
                           {"$3", " 3"},
                           {"name", "pod-a"},
                           {"status", "Running"}});
  // An optional group that did not take part is absent.
  CHECK(matches[1] == Json{{"$0", "pod-b Pending"},
                           {"$1", "pod-b"},
                           {"$2", "Pending"},
                           {"name", "pod-b"},
                           {"status", "Pending"}});
}

TEST_CASE("regex: several matches per line, non-capturing groups, classes with parens") {
  const auto matches = parsed("regex", "k=1 k=22\nk=3", R"((?:k)=(?<v>[\d(]+))");
  REQUIRE(matches.size() == 3);
  CHECK(matches[1]["v"] == "22");
  CHECK(matches[1]["$1"] == "22");
  CHECK(matches[2]["$0"] == "k=3");
  // ^ anchors at each line.
  CHECK(parsed("regex", "a1\na2\nb3", "^a(\\d)").size() == 2);
}

TEST_CASE("regex errors are invalid arguments") {
  for (const char* pattern : {"(unclosed", "(?<1bad>x)", "(?<name x)", "(?i)x", ""}) {
    CAPTURE(pattern);
    auto result = parse_stdout("regex", pattern, "x");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code() == ErrorCode::kInvalidArgument);
  }
  auto long_line = parse_stdout("regex", ".*", "ok\n" + std::string(kMaxRegexLineBytes + 1, 'a'));
  REQUIRE_FALSE(long_line.ok());
  CHECK(long_line.error().message().find("line 2") != std::string::npos);
  CHECK(parse_stdout("regex", ".*", std::string(kMaxRegexLineBytes, 'a')).ok());
}

TEST_CASE("an unknown parse mode is an invalid argument") {
  auto result = parse_stdout("yaml", "", "x");
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace aof::runtime::flow
