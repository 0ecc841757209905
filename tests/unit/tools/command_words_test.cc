// split_command_words: sh's splitting and quote removal, and the shell syntax it refuses.
#include <doctest/doctest.h>

#include "common/runtime/tools/command_words.h"

namespace aof::runtime::tools {
namespace {

using Words = std::vector<std::string>;

Words split(std::string_view line) {
  auto words = split_command_words(line);
  REQUIRE_MESSAGE(words.ok(), words.error().message());
  return *words;
}

std::string refusal(std::string_view line) {
  auto words = split_command_words(line);
  REQUIRE_FALSE(words.ok());
  CHECK(words.error().code() == ErrorCode::kInvalidArgument);
  return words.error().message();
}

TEST_CASE("blanks separate words; quotes and backslashes are removed as sh removes them") {
  CHECK(split("get  pods\t-n web") == Words{"get", "pods", "-n", "web"});
  CHECK(split("") == Words{});
  CHECK(split("   ") == Words{});
  CHECK(split("'a b' \"c d\" e\\ f") == Words{"a b", "c d", "e f"});
  CHECK(split("x'y'\"z\"") == Words{"xyz"});
  CHECK(split("'' \"\"") == Words{"", ""});
  CHECK(split(R"("say \"hi\" \\ \q")") == Words{R"(say "hi" \ \q)"});
  CHECK(split("'it'\\''s'") == Words{"it's"});
  CHECK(split("kub\\\nectl get") == Words{"kubectl", "get"});  // line continuation
}

TEST_CASE("operators inside quotes are ordinary characters") {
  CHECK(split("get pods -l 'app in (web,api)'") == Words{"get", "pods", "-l", "app in (web,api)"});
  CHECK(split("-o jsonpath='{range .items[*]}{.metadata.name}{\"\\n\"}{end}'") ==
        Words{"-o", R"(jsonpath={range .items[*]}{.metadata.name}{"\n"}{end})"});
  CHECK(split("'a;b|c&d>e<f$(g)`h`'") == Words{"a;b|c&d>e<f$(g)`h`"});
  CHECK(split("\"a;b|c&d>e<f(g)#\"") == Words{"a;b|c&d>e<f(g)#"});
  CHECK(split("a\\;b \\| \\$x") == Words{"a;b", "|", "$x"});
  CHECK(split("issue#12 x=1") == Words{"issue#12", "x=1"});  // # inside a word: not a comment
  CHECK(split("'line1\nline2'") == Words{"line1\nline2"});
}

TEST_CASE("shell syntax that would run, redirect or expand something is refused") {
  for (const char* line :
       {"get pods; rm -rf /", "get pods && touch x", "get pods || touch x", "get pods | sh",
        "sleep 9 &", "get pods > out", "get < /etc/passwd", "get $(touch x)", "get `touch x`",
        "get \"$(touch x)\"", "get \"`touch x`\"", "get $HOME", "(touch x)", "get pods\ntouch x",
        "get pods # ; hidden"}) {
    CAPTURE(line);
    CHECK(refusal(line).find("is not allowed") != std::string::npos);
  }
  CHECK(refusal("get pods; rm -rf /") ==
        "shell syntax ';' at position 9 is not allowed (pipes, command lists, redirections, $ "
        "expansions, command substitution, subshells and comments are refused); quote it if it "
        "is meant literally");
  CHECK(refusal("a\nb").find("a newline at position 2") != std::string::npos);
}

TEST_CASE("malformed lines are refused with the position") {
  CHECK(refusal("get 'pods") == "unterminated single quote at position 5");
  CHECK(refusal("get \"pods") == "unterminated double quote at position 5");
  CHECK(refusal("get pods\\") == "a trailing backslash at position 9");
  CHECK(refusal(std::string_view("a\0b", 3)) == "a NUL byte at position 2");
}

TEST_CASE("join_command_words quotes only what needs it and round-trips") {
  const Words words = {"get", "pods", "a b", "", "it's", "x;y"};
  const std::string line = join_command_words(words);
  CHECK(line == R"(get pods 'a b' '' 'it'\''s' 'x;y')");
  CHECK(split(line) == words);
}

}  // namespace
}  // namespace aof::runtime::tools
