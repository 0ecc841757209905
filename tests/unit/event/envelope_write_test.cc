// to_json writes the text directly; it must be byte for byte what dumping to_json_value gives.
#include <doctest/doctest.h>

#include "tests/unit/event/envelope_fixture.h"

namespace aof::event::testing {
namespace {

using nlohmann::json;

std::string dumped(const Envelope& e) {
  return to_json_value(e).dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST_CASE("to_json writes exactly what to_json_value dumps") {
  Envelope full = full_envelope();
  CHECK(to_json(full) == dumped(full));

  Envelope minimal;
  minimal.id = "x";
  CHECK(to_json(minimal) == dumped(minimal));

  Envelope escapes = full_envelope();
  escapes.body = std::string("quote \" backslash \\ slash / controls \b\f\n\r\t \x01\x1f\x7f") +
                 std::string(1, '\0') + " utf-8 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
  escapes.text = "line one\nline two \"quoted\"";
  escapes.body_ref.clear();
  CHECK(to_json(escapes) == dumped(escapes));

  Envelope binary = full_envelope();
  binary.body = std::string("\xff\xfe\x00\x01 not utf-8", 14);
  CHECK(to_json(binary) == dumped(binary));
  CHECK(to_json(binary).find(R"("body_encoding":"base64")") != std::string::npos);

  Envelope invalid_fields = full_envelope();
  invalid_fields.headers["X-Odd"] = "bad \xFF byte";
  invalid_fields.headers["x-\"quoted\"\\name"] = "v\n";
  invalid_fields.headers["x-bad-\xFF"] = "";
  invalid_fields.tenant = "\xc3";  // truncated sequence
  invalid_fields.history[0].message = "cut \xe2\x82";
  invalid_fields.metadata["odd"] = "\xed\xa0\x80";
  CHECK(to_json(invalid_fields) == dumped(invalid_fields));
}

TEST_CASE("a large body round-trips through to_json") {
  Envelope e = full_envelope();
  e.body.assign(25 * 1024, 'x').append("\"\n\\");  // append, not +: GCC 12 -Warray-bounds noise
  const auto parsed = parse_envelope(to_json(e));
  REQUIRE(parsed.ok());
  CHECK(parsed->body == e.body);
}

}  // namespace
}  // namespace aof::event::testing
