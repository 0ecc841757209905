// Memory state store specifics: TTLs on the injected FakeClock, exact to the millisecond, and
// the sweep of expired keys. The contract itself is in conformance_state_test.cc.
#include <doctest/doctest.h>

#include "common/base/clock.h"
#include "common/queue/memory.h"

namespace aof::queue {
namespace {

struct StateFixture {
  FakeClock clock;
  std::shared_ptr<StateStore> state = make_memory_state(clock);

  std::optional<std::string> get(const std::string& key) {
    auto value = state->get(key);
    REQUIRE(value.ok());
    return *value;
  }
};

TEST_CASE_FIXTURE(StateFixture, "a ttl expires on the clock; ttl 0 never expires") {
  REQUIRE(state->put("short", "v", Millis(1000)).ok());
  REQUIRE(state->put("forever", "v", Millis(0)).ok());
  clock.advance(Millis(999));
  CHECK(get("short") == "v");
  clock.advance(Millis(1));
  CHECK_FALSE(get("short").has_value());
  clock.advance(std::chrono::hours(24 * 365));
  CHECK(get("forever") == "v");
}

TEST_CASE_FIXTURE(StateFixture, "conditional writes see a key expired on the clock as absent") {
  CHECK(*state->put_if_absent("k", "first", Millis(1000)) == true);
  CHECK(*state->compare_and_set("c", std::nullopt, "v", Millis(500)) == true);
  clock.advance(Millis(999));
  CHECK(*state->put_if_absent("k", "second", Millis(0)) == false);
  clock.advance(Millis(1));
  CHECK(*state->put_if_absent("k", "third", Millis(0)) == true);
  CHECK(get("k") == "third");
  CHECK(*state->compare_and_set("c", std::string("v"), "w", Millis(0)) == false);
  CHECK(*state->compare_and_set("c", std::nullopt, "w", Millis(0)) == true);
}

TEST_CASE_FIXTURE(StateFixture, "a negative ttl is refused") {
  const Status s = state->put("k", "v", Millis(-1));
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code() == ErrorCode::kInvalidArgument);
  CHECK(s.error().message() == "state: ttl must be >= 0 (0 = no expiry)");
  CHECK_FALSE(state->put_if_absent("k", "v", Millis(-1)).ok());
}

TEST_CASE_FIXTURE(StateFixture, "many expired keys are swept without being read") {
  for (int i = 0; i < 5000; ++i) {
    REQUIRE(state->put("k" + std::to_string(i), "v", Millis(10)).ok());
    if (i % 100 == 0) clock.advance(Millis(10));
  }
  // Nothing observable but the values; the sweep must not drop live keys.
  REQUIRE(state->put("live", "v", Millis(0)).ok());
  for (int i = 0; i < 2000; ++i) REQUIRE(state->put("x", "v", Millis(0)).ok());
  CHECK(get("live") == "v");
  CHECK_FALSE(get("k0").has_value());
}

}  // namespace
}  // namespace aof::queue
