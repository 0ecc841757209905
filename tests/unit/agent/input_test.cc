// The agent's input as AOF prepares it (reference §2.5).
#include "common/runtime/agent/input.h"

#include <doctest/doctest.h>

namespace aof::runtime::agent {

TEST_CASE("mentions are removed and the text trimmed") {
  CHECK(clean_input("<@U123ABC> why is the build red?") == "why is the build red?");
  CHECK(clean_input("  <@U1> check <@W9Z> now \n") == "check  now");
  CHECK(clean_input("<@lowercase> stays") == "<@lowercase> stays");  // AOF's [A-Z0-9]+
}

TEST_CASE("an empty message or a bare greeting gets the canned answer, anything else the model") {
  for (const char* text : {"", "hi", "Hello!", "HEY", "hola.", "howdy", "start"}) {
    CAPTURE(text);
    const auto reply = canned_reply(text, "helper");
    REQUIRE(reply.has_value());
    CHECK(*reply == "Hello! I am the helper agent. Tell me what you need and I will work on it.");
  }
  for (const char* text : {"hi, why is the build red?", "start the deploy", "hey there"}) {
    CAPTURE(text);
    CHECK_FALSE(canned_reply(text, "helper").has_value());
  }
}

}  // namespace aof::runtime::agent
