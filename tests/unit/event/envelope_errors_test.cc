// Envelope parsing of untrusted input: every violation is kInvalidArgument naming the field,
// and nothing throws.
#include <doctest/doctest.h>

#include "common/event/body_codec.h"
#include "tests/unit/event/envelope_fixture.h"

namespace aof::event::testing {
namespace {

using nlohmann::json;

std::string error_of(const json& value, const EnvelopeLimits& limits = {}) {
  auto parsed = parse_envelope(value.dump(), limits);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().code() == ErrorCode::kInvalidArgument);
  return parsed.error().message();
}

std::string error_of_text(std::string_view text, const EnvelopeLimits& limits = {}) {
  Result<Envelope> parsed = Error(ErrorCode::kInternal, "not run");
  CHECK_NOTHROW(parsed = parse_envelope(text, limits));
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().code() == ErrorCode::kInvalidArgument);
  return parsed.error().message();
}

json with(const char* key, json value) {
  json out = to_json_value(full_envelope());
  out[key] = std::move(value);
  return out;
}

TEST_CASE("an oversize body is refused naming the limit") {
  Envelope e = full_envelope();
  e.body.assign(27000000, 'a');
  CHECK(error_of_text(to_json(e)) ==
        "envelope.body: 27000000 bytes exceeds the 26214400-byte limit");
}

TEST_CASE("an oversize base64 body is refused before decoding") {
  EnvelopeLimits limits;
  limits.max_body_bytes = 10;
  Envelope e = full_envelope();
  e.body = std::string(11, '\xFF');
  CHECK(error_of_text(to_json(e), limits) == "envelope.body: 11 bytes exceeds the 10-byte limit");
  e.body = std::string(10, '\xFF');
  CHECK(parse_envelope(to_json(e), limits).ok());
}

TEST_CASE("counts and string sizes are bounded") {
  json history = json::array();
  for (int i = 0; i < 1001; ++i) history.push_back({{"attempt", i}});
  CHECK(error_of(with("history", history)) ==
        "envelope.history: 1001 entries exceed the limit of 1000");

  json headers = json::object();
  for (int i = 0; i < 65; ++i) headers["H" + std::to_string(i)] = "v";
  CHECK(error_of(with("headers", headers)) ==
        "envelope.headers: 65 entries exceed the limit of 64");

  CHECK(error_of(with("text", std::string(70000, 't'))) ==
        "envelope.text: 70000 bytes exceeds the 65536-byte limit");
  json long_message = to_json_value(full_envelope());
  long_message["history"][1]["message"] = std::string(65537, 'm');
  CHECK(error_of(long_message) ==
        "envelope.history[1].message: 65537 bytes exceeds the 65536-byte limit");

  EnvelopeLimits small;
  small.max_json_bytes = 100;
  CHECK(error_of_text(to_json(full_envelope()), small).starts_with("envelope: "));
  CHECK(error_of_text(std::string(101, ' '), small) ==
        "envelope: 101 bytes exceeds the 100-byte limit");
}

TEST_CASE("wrong types are refused naming the field") {
  CHECK(error_of(with("priority", "high")) == "envelope.priority: expected an integer, got string");
  CHECK(error_of(with("attempt", 1.5)) ==
        "envelope.attempt: expected an integer, got a fractional number");
  CHECK(error_of(with("generation", 10000000000LL)) ==
        "envelope.generation: 10000000000 is out of range");
  CHECK(error_of(with("generation", -1)) == "envelope.generation: must be >= 0");
  CHECK(error_of(with("id", 42)) == "envelope.id: expected a string, got number");
  CHECK(error_of(with("id", "")) == "envelope.id: must not be empty");
  CHECK(error_of(with("user", json::array())) == "envelope.user: expected an object, got array");
  CHECK(error_of(with("headers", {{"X-Foo", 1}})) ==
        "envelope.headers.X-Foo: expected a string, got number");
  CHECK(error_of(with("history", {{{"attempt", "x"}}})) ==
        "envelope.history[0].attempt: expected an integer, got string");
  CHECK(error_of(with("history", {1})) == "envelope.history[0]: expected an object, got number");
  CHECK(error_of(with("target", "Agent")) == "envelope.target: expected an object, got string");
  CHECK(error_of(with("target", {{"kind", "Robot"}, {"name", "r"}})) ==
        "envelope.target.kind: unknown kind \"Robot\" (expected Agent, AgentFleet, AgentFlow or Approval)");
  CHECK(error_of(with("v", "1")) == "envelope.v: expected an integer, got string");
  CHECK(error_of(with("replays", {{{"by", false}}})) ==
        "envelope.replays[0].by: expected a string, got boolean");
}

TEST_CASE("missing version or id and bad bodies are refused") {
  CHECK(error_of(json{{"id", "x"}}) == "envelope.v: missing");
  CHECK(error_of(json{{"v", 1}}) == "envelope.id: missing");
  CHECK(error_of(json::array()) == "envelope: expected an object, got array");
  json no_encoding = to_json_value(full_envelope());
  no_encoding.erase("body_encoding");
  CHECK(error_of(no_encoding) == "envelope.body_encoding: missing");
  CHECK(error_of(with("body_encoding", "gzip")) ==
        "envelope.body_encoding: unknown encoding \"gzip\" (expected utf8 or base64)");
  json bad_base64 = with("body_encoding", "base64");
  bad_base64["body"] = "ab!d";
  CHECK(error_of(bad_base64) ==
        "envelope.body: invalid base64 at offset 2: not a base64 character");
}

TEST_CASE("malformed JSON is an error, not an exception") {
  CHECK(error_of_text("") == "envelope: malformed JSON at byte 1");
  CHECK(error_of_text(R"({"v":1,)") == "envelope: malformed JSON at byte 8");
  CHECK(error_of_text("{\"v\":1,\"id\":\"\xFF\"}").starts_with("envelope: malformed JSON"));
  CHECK(error_of_text(R"({"v":1e999,"id":"x"})").starts_with("envelope: malformed JSON"));
  CHECK(error_of_text("null") == "envelope: expected an object, got null");
}

TEST_CASE("deep nesting is refused before parsing") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  CHECK(error_of_text(deep) == "envelope: nesting deeper than 64 levels");
  json nested = json::object();
  for (int i = 0; i < 70; ++i) nested = json{{"n", nested}};
  auto from_value = from_json_value(with("metadata", nested));
  REQUIRE_FALSE(from_value.ok());
  CHECK(from_value.error().message() == "envelope: nesting deeper than 64 levels");
  // Brackets inside strings do not count.
  CHECK(parse_envelope(with("text", std::string(1000, '[')).dump()).ok());
}

TEST_CASE("any field with any wrong type yields an error and never throws") {
  const json samples[] = {
      nullptr,         true, 1, -7, 1.5, "s", json::array(), json::object(), json::array({1, "x"}),
      json{{"k", "v"}}};
  const json good = to_json_value(full_envelope());
  for (const auto& [key, unused] : good.items()) {
    for (const json& sample : samples) {
      json bad = good;
      bad[key] = sample;
      Result<Envelope> parsed = Error(ErrorCode::kInternal, "not run");
      CHECK_NOTHROW(parsed = from_json_value(bad));
      if (!parsed.ok()) {
        CHECK_MESSAGE(parsed.error().code() == ErrorCode::kInvalidArgument, key);
        CHECK_MESSAGE(parsed.error().message().starts_with("envelope"), key);
      }
    }
  }
}

TEST_CASE("validate_envelope checks envelopes built in memory with the same words") {
  Envelope e = full_envelope();
  CHECK(validate_envelope(e).ok());
  e.history.resize(1001);
  CHECK(validate_envelope(e).error().message() ==
        "envelope.history: 1001 entries exceed the limit of 1000");
  e = full_envelope();
  e.attempt = -1;
  CHECK(validate_envelope(e).error().message() == "envelope.attempt: must be >= 0");
  e = full_envelope();
  e.headers["X-Big"] = std::string(65537, 'h');
  CHECK(validate_envelope(e).error().message() ==
        "envelope.headers.X-Big: 65537 bytes exceeds the 65536-byte limit");
}

}  // namespace
}  // namespace aof::event::testing
