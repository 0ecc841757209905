#pragma once
// ${...} templates in flow strings (DESIGN §7, reference §6.2), compatible with AOF and
// resolving the dotted paths AOF's docs promise but its code never expanded.
//
// `${name}` resolves, first rule that yields a value wins:
//  1. `name` is a variable key exactly (FlowState::lookup): `trigger`, `event` (the whole
//     trigger data), `context` (spec.context as written: `${context.namespace}`),
//     `<id>.output` (a finished node's output object), `<id>.result` (a Conditional's
//     bool), a name exported by a Transform.
//  2. A dotted path: the longest leading run of segments that is a variable key (rule 1),
//     then the remaining segments walk into its value (object member, or array index for an
//     all-digit segment: `${n.output.items.0}`). Two heads search two places:
//       `event.<p>`      → trigger_data["event"].<p>, else trigger_data.<p>
//                          (`${event.text}` is the message text; `${event.platform}` the
//                          top-level platform field when `event` has none);
//       `<id>.output.<p>`→ the node's output object.<p>, else its `output` member.<p>
//                          (`${clip.output.stdout}` is a field of the Script output object;
//                          `${v.output.version}` reaches a `parse: json` Script's parsed
//                          stdout; on a name clash the object field wins, and
//                          `${v.output.output.stdout}` reaches the parsed one).
//     If the longest head's walk fails, shorter heads are tried.
//  3. `NAME` matching [A-Z_][A-Z0-9_]* → the process environment variable, if set.
// Anything else stays literally in the text (AOF behaviour), logged at debug.
// Strings insert as they are; other values as compact JSON (`${event}` → {"a":1}).
// Expansion is one pass: inserted text is never expanded again, so `${...}` inside trigger
// data stays inert. There is no escape for a literal `${` (AOF has none).

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/result.h"
#include "common/runtime/flow/flow_state.h"

namespace aof::runtime::flow {

// Expanded strings longer than this fail the expansion (kInvalidArgument).
inline constexpr std::size_t kMaxExpandedBytes = 16u << 20;

// The value `${name}` stands for (rules 1-2 above; not the environment), or nullopt.
std::optional<nlohmann::json> resolve_variable(std::string_view name, const FlowState& state);

// `text` with every resolvable ${...} replaced. Errors: kInvalidArgument when the result
// would exceed `max_bytes`.
Result<std::string> expand_template(std::string_view text, const FlowState& state,
                                    std::size_t max_bytes = kMaxExpandedBytes);

// A JSON value (a native tool's `args`, an HTTP node's structured body) with every string in
// it expanded, keys left as written. A string that is exactly one `${name}` that resolves
// becomes that value with its type (`tail: "${limits.output.lines}"` stays a number,
// `from: "${fetch.output}"` an object); any other string is expand_template'd, so inserted
// text never breaks the surrounding JSON. Errors as expand_template, naming the key.
Result<nlohmann::json> expand_json(const nlohmann::json& value, const FlowState& state,
                                   std::size_t max_bytes = kMaxExpandedBytes);

}  // namespace aof::runtime::flow
