#pragma once
// The condition language of connection `when` and Conditional `condition` (reference §6.2),
// a superset of AOF's:
//   expr    := and ('||' and)*             && binds tighter than ||
//   and     := unary ('&&' unary)*
//   unary   := '!' unary | '(' expr ')' | compare
//   compare := operand (('=='|'!='|'<'|'>'|'<='|'>=') operand)?
// An operand is a quoted string ("..." or '...') or bare text up to the next operator or
// parenthesis (`${...}` counts as one piece, so the text inside never splits an operand).
// The structure is parsed from the text as written; each operand is then expanded, trimmed
// of spaces and quotes. Parsing before expanding keeps inserted values from adding operators.
// Comparison: numeric when both sides parse fully as numbers ("1.0" == "1"); otherwise
// ==/!= compare strings and </>/<=/>= are false (AOF: numeric only). A lone operand is true
// only if it is `true` (false if `false`). Anything unparseable is false (AOF), with a
// diagnostic the caller logs. Nesting deeper than kMaxConditionDepth is unparseable.

#include <functional>
#include <string>
#include <string_view>

#include "common/base/result.h"

namespace aof::runtime::flow {

inline constexpr int kMaxConditionDepth = 32;

struct ConditionValue {
  bool value = false;
  // Why the condition is unparseable, or a note on a suspicious part (an operand that is
  // neither true nor false, </> on non-numbers); "" when there is nothing to say.
  std::string diagnostic;
};

// Expands one operand's text (templates); errors pass through.
using OperandExpander = std::function<Result<std::string>(std::string_view)>;

// Evaluates `text`. Errors only from `expand`.
Result<ConditionValue> evaluate_condition(std::string_view text, const OperandExpander& expand);

}  // namespace aof::runtime::flow
