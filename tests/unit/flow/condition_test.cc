#include "common/runtime/flow/condition.h"

#include <doctest/doctest.h>

#include <map>

namespace aof::runtime::flow {
namespace {

// Operands expand through a fixed table for `${name}`, else stay as written.
ConditionValue eval(std::string_view text, std::map<std::string, std::string> vars = {}) {
  auto result = evaluate_condition(text, [&](std::string_view operand) -> Result<std::string> {
    std::string out(operand);
    for (const auto& [name, value] : vars) {
      const std::string ref = "${" + name + "}";
      for (auto at = out.find(ref); at != std::string::npos;
           at = out.find(ref, at + value.size())) {
        out.replace(at, ref.size(), value);
      }
    }
    return out;
  });
  REQUIRE(result.ok());
  return *result;
}

bool value(std::string_view text, std::map<std::string, std::string> vars = {}) {
  return eval(text, std::move(vars)).value;
}

TEST_CASE("literals and lone operands") {
  CHECK(value("true"));
  CHECK_FALSE(value("false"));
  CHECK(value("  \"true\" "));
  CHECK(value("${ok}", {{"ok", "true"}}));
  const auto maybe = eval("maybe");
  CHECK_FALSE(maybe.value);
  CHECK(maybe.diagnostic.find("neither true nor false") != std::string::npos);
}

TEST_CASE("equality compares strings after trimming spaces and quotes") {
  CHECK(value("abc == abc"));
  CHECK(value("abc == \"abc\""));
  CHECK(value("'abc' == \"abc\""));
  CHECK_FALSE(value("abc == abd"));
  CHECK(value("abc != abd"));
  CHECK_FALSE(value("abc != abc"));
  CHECK(value("hello world == hello world"));
  CHECK(value("done! == done!"));
  CHECK(value("${check.result} == true", {{"check.result", "true"}}));
  CHECK_FALSE(value("${check.result} == true", {{"check.result", "false"}}));
  CHECK(value("\"${x}\" == \" padded \"", {{"x", " padded "}}));
}

TEST_CASE("numbers compare numerically when both sides are numbers") {
  CHECK(value("2 < 10"));  // as strings "2" > "10"
  CHECK(value("10 > 9"));
  CHECK_FALSE(value("10 < 9"));
  CHECK(value("1.0 == 1"));
  CHECK_FALSE(value("1.0 != 1"));
  CHECK(value("-3 < -2.5"));
  CHECK(value("3 <= 3"));
  CHECK(value("3 >= 3"));
  CHECK_FALSE(value("4 <= 3"));
  CHECK_FALSE(value("2 >= 3"));
  CHECK(value("${n} > 40", {{"n", "42"}}));
}

TEST_CASE("ordering non-numbers is false with a diagnostic") {
  for (const char* text : {"b > a", "a < b", "a <= a", "1 >= x", "nan < 1", "inf > 1"}) {
    CAPTURE(text);
    const auto result = eval(text);
    CHECK_FALSE(result.value);
    CHECK(result.diagnostic.find("not numbers") != std::string::npos);
  }
}

TEST_CASE("&& binds tighter than ||") {
  CHECK(value("true || false && false"));  // (true||false)&&false would be false
  CHECK(value("false && true || true"));
  CHECK_FALSE(value("false || true && false"));
  CHECK(value("1 == 1 && 2 == 2"));
  CHECK_FALSE(value("1 == 1 && 2 == 3"));
  CHECK(value("1 == 2 || 2 == 2"));
}

TEST_CASE("parentheses and negation") {
  CHECK_FALSE(value("(true || false) && false"));
  CHECK(value("true || (false && false)"));
  CHECK(value("!false"));
  CHECK_FALSE(value("!true"));
  CHECK(value("!!true"));
  CHECK(value("!(1 == 2)"));
  CHECK(value("!(a == b) && (1 < 2 || x == y)"));
  CHECK(value("((((true))))"));
}

TEST_CASE("garbage is false with a diagnostic") {
  for (const char* text : {"", "   ", "== 1", "a ==", "(true", "true)", "a == b == c",
                           "\"unterminated", "true &&", "|| true", "()", "a b == c d (e"}) {
    CAPTURE(text);
    const auto result = eval(text);
    CHECK_FALSE(result.value);
    CHECK_FALSE(result.diagnostic.empty());
  }
}

TEST_CASE("nesting beyond the depth limit is unparseable") {
  const auto nested = [](int depth) {
    return std::string(static_cast<std::size_t>(depth), '(') + "true" +
           std::string(static_cast<std::size_t>(depth), ')');
  };
  CHECK(value(nested(kMaxConditionDepth - 1)));
  const auto deep = eval(nested(kMaxConditionDepth + 1));
  CHECK_FALSE(deep.value);
  CHECK(deep.diagnostic.find("nested deeper") != std::string::npos);
  CHECK_FALSE(value(std::string(10000, '!') + "true"));  // no stack overflow
}

TEST_CASE("inserted values cannot add operators (structure is parsed before expansion)") {
  CHECK_FALSE(value("${text} == deploy", {{"text", "x || true"}}));
  CHECK_FALSE(value("${text} == deploy", {{"text", "deploy == deploy || x"}}));
  CHECK(value("${text} == a || b", {{"text", "a || b"}}) == false);
  CHECK(value("${text}", {{"text", "true"}}));
}

TEST_CASE("expansion errors pass through") {
  auto result = evaluate_condition("${x} == 1", [](std::string_view) -> Result<std::string> {
    return Error(ErrorCode::kInvalidArgument, "too big");
  });
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().message() == "too big");
}

}  // namespace
}  // namespace aof::runtime::flow
