#include "common/queue/replay.h"

#include <nlohmann/json.hpp>

#include "common/base/digest.h"
#include "common/queue/body_aside.h"

namespace aof::queue {
namespace {

using event::Envelope;

Error bad_value(const std::string& field, const std::string& why) {
  return Error(ErrorCode::kInvalidArgument, "--set " + field + ": " + why);
}

// "812 bytes sha256 1f0c...", also for a body stored aside (named by its body_ref).
std::string describe_body(const Envelope& e) {
  if (e.body_ref.empty()) {
    return std::to_string(e.body.size()) + " bytes sha256 " + sha256_hex(e.body);
  }
  auto ref = parse_body_ref(e.body_ref, event::EnvelopeLimits{}.max_body_bytes);
  if (!ref) return "stored aside as " + e.body_ref.substr(0, 200);
  return std::to_string(ref->length) + " bytes sha256 " + ref->sha256 + " (stored aside)";
}

// The plain string fields an operator may set, by name.
std::string* string_field(Envelope& e, const std::string& name) {
  if (name == "event") return &e.event;
  if (name == "action") return &e.action;
  if (name == "tenant") return &e.tenant;
  if (name == "trigger") return &e.trigger;
  if (name == "text") return &e.text;
  if (name == "channel_id") return &e.channel_id;
  if (name == "thread_id") return &e.thread_id;
  if (name == "target.name") return &e.target.name;
  return nullptr;
}

Result<event::TargetKind> target_kind(const std::string& value) {
  for (auto kind : {event::TargetKind::kAgent, event::TargetKind::kAgentFleet,
                    event::TargetKind::kAgentFlow}) {
    if (value == event::to_string(kind)) return kind;
  }
  return bad_value("target.kind", "\"" + value + "\" is not Agent, AgentFleet or AgentFlow");
}

nlohmann::json metadata_value(const std::string& value) {
  auto parsed = nlohmann::json::parse(value, nullptr, false);
  if (!parsed.is_discarded() && (parsed.is_number() || parsed.is_boolean() || parsed.is_null())) {
    return parsed;
  }
  return value;
}

// Applies one edit; returns "field: old -> new" for the replay record.
Result<std::string> apply(Envelope& e, const std::string& field, const std::string& value) {
  if (std::string* text = string_field(e, field)) {
    std::string change = field + ": " + *text + " -> " + value;
    *text = value;
    return change;
  }
  if (field == "priority") {
    std::size_t used = 0;
    int priority = 0;
    try {
      priority = std::stoi(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != value.size()) return bad_value(field, "\"" + value + "\" is not an integer");
    std::string change = field + ": " + std::to_string(e.priority) + " -> " + value;
    e.priority = priority;
    return change;
  }
  if (field == "target.kind") {
    auto kind = target_kind(value);
    if (!kind) return kind.error();
    std::string change = field + ": " + event::to_string(e.target.kind) + " -> " + value;
    e.target.kind = *kind;
    return change;
  }
  if (field.starts_with("metadata.") && field.size() > 9) {
    const std::string key = field.substr(9);
    const auto old = e.metadata.is_object() && e.metadata.contains(key) ? e.metadata[key].dump()
                                                                         : std::string("(unset)");
    if (!e.metadata.is_object()) e.metadata = nlohmann::json::object();
    e.metadata[key] = metadata_value(value);
    return field + ": " + old + " -> " + e.metadata[key].dump();
  }
  if (field.starts_with("headers.") && field.size() > 8) {
    const std::string name = field.substr(8);
    const auto it = e.headers.find(name);
    std::string change =
        field + ": " + (it == e.headers.end() ? "(unset)" : it->second) + " -> " + value;
    e.headers[name] = value;
    return change;
  }
  std::string known;
  for (const auto& name : replay_settable_fields()) known += (known.empty() ? "" : ", ") + name;
  return Error(ErrorCode::kInvalidArgument,
               "--set " + field + ": not a field a replay may change (one of " + known + ")");
}

}  // namespace

const std::vector<std::string>& replay_settable_fields() {
  static const std::vector<std::string> fields = {
      "event",       "action",      "tenant",   "trigger",      "text",          "channel_id",
      "thread_id",   "priority",    "target.kind", "target.name", "metadata.<key>",
      "headers.<Name>"};
  return fields;
}

Result<Envelope> replayed_envelope(const Envelope& dead, const ReplayRequest& request,
                                   TimePoint now) {
  Envelope next = dead;
  std::string changes;
  for (const auto& [field, value] : request.set) {
    auto change = apply(next, field, value);
    if (!change) return change.error();
    changes += (changes.empty() ? "" : "; ") + *change;
  }
  if (request.body) {
    changes += (changes.empty() ? "" : "; ") + std::string("body: replaced, was ") +
               describe_body(dead);
    next.body = *request.body;
    next.body_ref.clear();
  }
  next.generation = dead.generation + 1;
  next.attempt = 0;
  next.replays.push_back({dead.generation, request.by, to_rfc3339(now), changes});
  if (auto valid = event::validate_envelope(next); !valid) {
    return valid.error().with_context("replay of " + dead.id);
  }
  return next;
}

}  // namespace aof::queue
