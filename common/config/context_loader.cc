// kind: Context (reference §1.6): parsed and type-checked; nothing in the daemon applies it.
#include "common/config/resource_parsers.h"

namespace aof::config {
namespace {

void read_approval(Walker& walker, const Field& field) {
  bool flag = false;
  int number = 0;
  std::vector<std::string> list;
  walk_map(walker, field,
           {{"required", [&](const Field& f) { walker.read_bool(f, flag); }},
            {"allowed_users", [&](const Field& f) { walker.read_string_list(f, list); }},
            {"timeout_seconds", [&](const Field& f) { walker.read_int(f, number, 1); }},
            {"require_for", [&](const Field& f) { walker.read_string_list(f, list); }},
            {"allow_self_approval", [&](const Field& f) { walker.read_bool(f, flag); }},
            {"min_approvers", [&](const Field& f) { walker.read_int(f, number, 1); }}},
           UnknownKeys::kWarning);
}

void read_audit_events(Walker& walker, const Field& field) {
  static const std::vector<std::string> kEvents = {
      "agent_start",      "agent_complete",  "tool_call", "approval_requested",
      "approval_granted", "approval_denied", "error",     "all"};
  if (!walker.expect_sequence(field)) return;
  std::string event;
  for (std::size_t i = 0; i < field.node.size(); ++i) {
    walker.read_enum(field.item(i, field.node[i]), event, kEvents);
  }
}

void read_audit(Walker& walker, const Field& field) {
  bool flag = false;
  std::string text;
  walk_map(walker, field,
           {{"enabled", [&](const Field& f) { walker.read_bool(f, flag); }},
            {"sink", [&](const Field& f) { walker.read_string(f, text); }},
            {"events", [&](const Field& f) { read_audit_events(walker, f); }},
            {"includePayload", [&](const Field& f) { walker.read_bool(f, flag); }},
            {"retention", [&](const Field& f) { walker.read_string(f, text); }}},
           UnknownKeys::kWarning);
}

void read_limits(Walker& walker, const Field& field) {
  std::int64_t number = 0;
  double real = 0;
  walk_map(walker, field,
           {{"max_requests_per_minute", [&](const Field& f) { walker.read_int(f, number, 1); }},
            {"max_tokens_per_day", [&](const Field& f) { walker.read_int(f, number, 1); }},
            {"max_concurrent", [&](const Field& f) { walker.read_int(f, number, 1); }},
            {"max_execution_time_seconds", [&](const Field& f) { walker.read_int(f, number, 1); }},
            {"max_cost_per_day", [&](const Field& f) { walker.read_double(f, real); }}},
           UnknownKeys::kWarning);
}

void read_secrets(Walker& walker, const Field& field) {
  if (!walker.expect_sequence(field)) return;
  std::string text;
  for (std::size_t i = 0; i < field.node.size(); ++i) {
    const Field item = field.item(i, field.node[i]);
    if (!walk_map(walker, item,
                  {{"name", [&](const Field& f) { walker.read_string(f, text); }},
                   {"key", [&](const Field& f) { walker.read_string(f, text); }},
                   {"envVar", [&](const Field& f) { walker.read_string(f, text); }}},
                  UnknownKeys::kWarning)) {
      continue;
    }
    if (!item.at("name").present()) walker.missing(item, "name");
  }
}

}  // namespace

std::optional<Context> read_context(DocumentContext& context, const Field& root) {
  Walker& walker = context.walker;
  const std::size_t errors = walker.error_count();
  Context out;
  const auto spec = read_envelope(walker, root, out.name, false);
  if (!spec) return std::nullopt;
  out.source = walker.source(root);
  std::string text;
  std::map<std::string, std::string> env;
  walk_map(walker, *spec,
           {{"kubeconfig", [&](const Field& f) { walker.read_string(f, text); }},
            {"namespace", [&](const Field& f) { walker.read_string(f, text); }},
            {"cluster", [&](const Field& f) { walker.read_string(f, text); }},
            {"env", [&](const Field& f) { walker.read_string_map(f, env); }},
            {"workingDir", [&](const Field& f) { walker.read_string(f, text); }},
            {"approval", [&](const Field& f) { read_approval(walker, f); }},
            {"audit", [&](const Field& f) { read_audit(walker, f); }},
            {"limits", [&](const Field& f) { read_limits(walker, f); }},
            {"secrets", [&](const Field& f) { read_secrets(walker, f); }}},
           UnknownKeys::kWarning);
  if (walker.error_count() != errors) return std::nullopt;
  out.spec = to_json(spec->node);
  return out;
}

}  // namespace aof::config
