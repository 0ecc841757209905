// Envelope round trips, body encodings and versions.
#include <doctest/doctest.h>

#include "tests/unit/event/envelope_fixture.h"

namespace aof::event::testing {
namespace {

using nlohmann::json;

Envelope round_trip(const Envelope& e) {
  auto parsed = parse_envelope(to_json(e));
  REQUIRE_MESSAGE(parsed.ok(), parsed.error().message());
  return *parsed;
}

TEST_CASE("every field survives a round trip") {
  const Envelope original = full_envelope();
  check_same(round_trip(original), original);
  auto from_value = from_json_value(to_json_value(original));
  REQUIRE(from_value.ok());
  check_same(*from_value, original);
}

TEST_CASE("a default envelope with only an id round-trips") {
  Envelope e;
  e.id = "x";
  check_same(round_trip(e), e);
}

TEST_CASE("a utf-8 body travels as text") {
  Envelope e = full_envelope();
  e.body = "caf\xC3\xA9 \xF0\x9F\x98\x80 {\"a\":1}";
  const json value = to_json_value(e);
  CHECK(value["body_encoding"] == "utf8");
  CHECK(value["body"] == e.body);
  CHECK(round_trip(e).body == e.body);
}

TEST_CASE("a binary body travels as base64 and comes back byte-exact") {
  Envelope e = full_envelope();
  e.body.clear();
  for (int i = 0; i < 256; ++i) e.body += static_cast<char>(255 - i);
  const json value = to_json_value(e);
  CHECK(value["body_encoding"] == "base64");
  CHECK(value["body"].get<std::string>().size() == 344);
  CHECK(round_trip(e).body == e.body);
}

TEST_CASE("a body with a surrogate or overlong sequence is not sent as text") {
  Envelope e = full_envelope();
  e.body = "ok \xED\xA0\x80";
  CHECK(to_json_value(e)["body_encoding"] == "base64");
  CHECK(round_trip(e).body == e.body);
  e.body = "\xC0\xAF";
  CHECK(to_json_value(e)["body_encoding"] == "base64");
  CHECK(round_trip(e).body == e.body);
}

TEST_CASE("report is written only when a binding asked for one") {
  Envelope e = full_envelope();
  CHECK(to_json_value(e)["report"] == "review");
  e.report.clear();
  CHECK_FALSE(to_json_value(e).contains("report"));
  CHECK(to_json(e).find("\"report\"") == std::string::npos);
  CHECK(round_trip(e).report.empty());
}

TEST_CASE("body_ref is written only when the body is stored aside") {
  Envelope e = full_envelope();
  e.body_ref.clear();
  CHECK_FALSE(to_json_value(e).contains("body_ref"));
  e.body.clear();
  e.body_ref = "ref-1";
  const Envelope back = round_trip(e);
  CHECK(back.body_ref == "ref-1");
  CHECK(back.body.empty());
}

TEST_CASE("the writer always writes the current version") {
  Envelope e = full_envelope();
  e.v = 0;
  CHECK(to_json_value(e)["v"] == kEnvelopeVersion);
}

TEST_CASE("the previous version is still read") {
  json old = to_json_value(full_envelope());
  old["v"] = kEnvelopeVersion - 1;
  auto parsed = from_json_value(old);
  REQUIRE(parsed.ok());
  CHECK(parsed->v == kEnvelopeVersion - 1);
  check_same(*parsed, full_envelope());
}

TEST_CASE("the next version and the one before the previous are refused") {
  for (const int v : {kEnvelopeVersion + 1, kEnvelopeVersion - 2, 7}) {
    json value = to_json_value(full_envelope());
    value["v"] = v;
    auto parsed = parse_envelope(value.dump());
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code() == ErrorCode::kInvalidArgument);
    CHECK(parsed.error().message() ==
          "envelope.v: unsupported version " + std::to_string(v) + " (this build reads 0 and 1)");
  }
}

TEST_CASE("optional fields may be missing; unknown fields are ignored") {
  auto parsed = parse_envelope(R"({"v":1,"id":"x","future_field":{"a":1}})");
  REQUIRE(parsed.ok());
  CHECK(parsed->id == "x");
  CHECK(parsed->target.kind == TargetKind::kAgent);
  CHECK(parsed->user == json::object());
  auto nulls = parse_envelope(R"({"v":1,"id":"x","user":null,"metadata":null,"history":null})");
  REQUIRE(nulls.ok());
  CHECK(nulls->metadata == json::object());
}

TEST_CASE("invalid utf-8 outside the body does not make serialization throw") {
  Envelope e = full_envelope();
  e.headers["X-Odd"] = "bad \xFF byte";
  std::string text;
  CHECK_NOTHROW(text = to_json(e));
  auto parsed = parse_envelope(text);
  REQUIRE(parsed.ok());
  CHECK(parsed->headers["X-Odd"] == "bad \xEF\xBF\xBD byte");  // U+FFFD
}

TEST_CASE("append_history keeps the newest entries within the limit") {
  Envelope e;
  for (int i = 1; i <= 5; ++i) append_history(e, {i, "w", "t", "timeout", "m"}, 3);
  REQUIRE(e.history.size() == 3);
  CHECK(e.history.front().attempt == 3);
  CHECK(e.history.back().attempt == 5);
}

}  // namespace
}  // namespace aof::event::testing
