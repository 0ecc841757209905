#include <doctest/doctest.h>

#include "common/ingest/bounded_json.h"
#include "common/ingest/trace_context.h"

namespace aof::ingest {
namespace {

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST_CASE("nesting depth ignores brackets inside strings, escaped quotes included") {
  CHECK(json_nesting_depth(R"({"a":"[[[\"[[{{"})") == 1);
  CHECK(json_nesting_depth(R"({"a":[{"b":[]}]})") == 4);
  CHECK(json_nesting_depth("") == 0);
}

TEST_CASE("64 levels parse; 65 are refused before parsing") {
  const std::string ok = "{\"a\":" + nested(63) + "}";
  CHECK(parse_json_object(ok).ok());
  const std::string deep = "{\"a\":" + nested(64) + "}";
  const auto refused = parse_json_object(deep);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message() == "JSON nesting exceeds 64 levels");
}

TEST_CASE("a nesting bomb is refused without recursion") {
  const std::string bomb = "{\"a\":" + std::string(5'000'000, '[');
  const auto refused = parse_json_object(bomb);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kInvalidArgument);
}

TEST_CASE("non-objects, syntax errors and invalid UTF-8 are refused without throwing") {
  CHECK(parse_json_object("[1,2]").error().message() == "body is not a JSON object");
  CHECK(parse_json_object("\"s\"").error().message() == "body is not a JSON object");
  CHECK(parse_json_object("{\"a\":1} trailing").error().message() == "body is not valid JSON");
  CHECK(parse_json_object("{\"a\":\"\xff\"}").error().message() == "body is not valid JSON");
  CHECK(parse_json_object("").error().message() == "body is not valid JSON");
}

constexpr const char* kTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST_CASE("traceparent: well-formed values are kept, others refused") {
  CHECK(is_valid_traceparent(kTraceparent));
  CHECK(continue_or_start_trace(kTraceparent) == kTraceparent);
  CHECK_FALSE(is_valid_traceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));
  CHECK_FALSE(is_valid_traceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  CHECK_FALSE(is_valid_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
  CHECK_FALSE(is_valid_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
  CHECK_FALSE(is_valid_traceparent(  // version 00 must be exactly 55 characters
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));
  CHECK_FALSE(is_valid_traceparent("garbage"));
  // A future version may append fields; it is continued in the version-00 form.
  const std::string v01 = "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xyz";
  CHECK(is_valid_traceparent(v01));
  CHECK(continue_or_start_trace(v01) == kTraceparent);
}

TEST_CASE("a new trace is started when none or a bad one arrives") {
  const std::string a = continue_or_start_trace("");
  const std::string b = continue_or_start_trace("00-bad");
  CHECK(is_valid_traceparent(a));
  CHECK(is_valid_traceparent(b));
  CHECK(a != b);
  CHECK(a.substr(0, 3) == "00-");
  CHECK(a.substr(52) == "-01");
}

}  // namespace
}  // namespace aof::ingest
