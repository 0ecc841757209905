#include "common/runtime/flow/duration.h"

#include <doctest/doctest.h>

namespace aof::runtime::flow {
namespace {

long long ms(std::string_view text) {
  auto result = parse_duration(text);
  REQUIRE(result.ok());
  return result->count();
}

TEST_CASE("durations in every unit, bare seconds, and the 1s default") {
  CHECK(ms("10ms") == 10);
  CHECK(ms("2s") == 2000);
  CHECK(ms("3m") == 180'000);
  CHECK(ms("1h") == 3'600'000);
  CHECK(ms("5") == 5000);
  CHECK(ms("0s") == 0);
  CHECK(ms("") == 1000);
  CHECK(ms("168h") == 168LL * 3'600'000);
}

TEST_CASE("bad durations are invalid arguments") {
  for (const char* text : {"-1s", "1.5s", "s", "ms", "10 s", " 10s", "5d", "ten", "169h",
                           "99999999999999999999s", "1e3"}) {
    CAPTURE(text);
    auto result = parse_duration(text);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code() == ErrorCode::kInvalidArgument);
  }
  CHECK(parse_duration("5d").error().message() ==
        "duration \"5d\": not a whole number with a unit (use Nms, Ns, Nm or Nh)");
}

}  // namespace
}  // namespace aof::runtime::flow
