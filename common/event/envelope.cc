// Writing envelopes: the JSON tree (to_json, the text, is envelope_write.cc; the parser is
// envelope_parse.cc), bounds checks for envelopes built in memory, and history bookkeeping.
#include "common/event/envelope.h"

#include "common/event/body_codec.h"
#include "common/event/envelope_errors.h"

namespace aof::event {
namespace {

using nlohmann::json;

json history_to_json(const std::vector<HistoryEntry>& history) {
  json out = json::array();
  for (const auto& h : history) {
    out.push_back({{"attempt", h.attempt},
                   {"worker", h.worker},
                   {"at", h.at},
                   {"error_class", h.error_class},
                   {"message", h.message}});
  }
  return out;
}

json replays_to_json(const std::vector<ReplayInfo>& replays) {
  json out = json::array();
  for (const auto& r : replays) {
    json entry = {{"from_generation", r.from_generation}, {"by", r.by}, {"at", r.at}};
    if (!r.changes.empty()) entry["changes"] = r.changes;
    out.push_back(std::move(entry));
  }
  return out;
}

// The body inline (utf8 or base64); body_ref only when the body is stored aside.
void body_to_json(const Envelope& e, json& out) {
  const bool text = is_valid_utf8(e.body);
  out["body"] = text ? e.body : base64_encode(e.body);
  out["body_encoding"] = text ? "utf8" : "base64";
  if (!e.body_ref.empty()) out["body_ref"] = e.body_ref;
}

Status check_field(const std::string& path, const std::string& value,
                   const EnvelopeLimits& limits) {
  if (value.size() > limits.max_field_bytes) {
    return detail::too_many_bytes(path, value.size(), limits.max_field_bytes);
  }
  return ok_status();
}

Status check_top_level_fields(const Envelope& e, const EnvelopeLimits& limits) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"id", &e.id},
      {"received_at", &e.received_at},
      {"platform", &e.platform},
      {"event", &e.event},
      {"action", &e.action},
      {"delivery_id", &e.delivery_id},
      {"dedup_key", &e.dedup_key},
      {"tenant", &e.tenant},
      {"trigger", &e.trigger},
      {"report", &e.report},
      {"target.name", &e.target.name},
      {"text", &e.text},
      {"channel_id", &e.channel_id},
      {"thread_id", &e.thread_id},
      {"body_ref", &e.body_ref},
      {"traceparent", &e.traceparent},
  };
  for (const auto& [name, value] : fields) {
    if (auto s = check_field(std::string("envelope.") + name, *value, limits); !s) return s;
  }
  return ok_status();
}

Status check_headers(const Envelope& e, const EnvelopeLimits& limits) {
  if (e.headers.size() > limits.max_headers) {
    return detail::too_many_entries("envelope.headers", e.headers.size(), limits.max_headers);
  }
  for (const auto& [name, value] : e.headers) {
    const std::string path = "envelope.headers." + name;
    if (auto s = check_field(path + " (name)", name, limits); !s) return s;
    if (auto s = check_field(path, value, limits); !s) return s;
  }
  return ok_status();
}

Status check_history(const Envelope& e, const EnvelopeLimits& limits) {
  if (e.history.size() > limits.max_history) {
    return detail::too_many_entries("envelope.history", e.history.size(), limits.max_history);
  }
  for (std::size_t i = 0; i < e.history.size(); ++i) {
    const std::string path = "envelope.history[" + std::to_string(i) + "].";
    const auto& h = e.history[i];
    for (const auto& [name, value] : {std::pair{"worker", &h.worker},
                                      {"at", &h.at},
                                      {"error_class", &h.error_class},
                                      {"message", &h.message}}) {
      if (auto s = check_field(path + name, *value, limits); !s) return s;
    }
  }
  return ok_status();
}

Status check_replays(const Envelope& e, const EnvelopeLimits& limits) {
  if (e.replays.size() > limits.max_history) {
    return detail::too_many_entries("envelope.replays", e.replays.size(), limits.max_history);
  }
  for (std::size_t i = 0; i < e.replays.size(); ++i) {
    const std::string path = "envelope.replays[" + std::to_string(i) + "].";
    if (auto s = check_field(path + "by", e.replays[i].by, limits); !s) return s;
    if (auto s = check_field(path + "at", e.replays[i].at, limits); !s) return s;
    if (auto s = check_field(path + "changes", e.replays[i].changes, limits); !s) return s;
  }
  return ok_status();
}

Status check_counters(const Envelope& e) {
  if (e.id.empty()) return detail::invalid_field("envelope.id", "must not be empty");
  if (e.generation < 0) return detail::invalid_field("envelope.generation", "must be >= 0");
  if (e.attempt < 0) return detail::invalid_field("envelope.attempt", "must be >= 0");
  return ok_status();
}

}  // namespace

const char* to_string(TargetKind kind) {
  switch (kind) {
    case TargetKind::kAgent:
      return "Agent";
    case TargetKind::kAgentFleet:
      return "AgentFleet";
    case TargetKind::kAgentFlow:
      return "AgentFlow";
    case TargetKind::kApproval:
      return "Approval";
  }
  return "Agent";
}

json to_json_value(const Envelope& e) {
  json out = {{"v", kEnvelopeVersion},
              {"id", e.id},
              {"generation", e.generation},
              {"received_at", e.received_at},
              {"platform", e.platform},
              {"event", e.event},
              {"action", e.action},
              {"delivery_id", e.delivery_id},
              {"dedup_key", e.dedup_key},
              {"tenant", e.tenant},
              {"priority", e.priority},
              {"trigger", e.trigger},
              {"target", {{"kind", to_string(e.target.kind)}, {"name", e.target.name}}},
              {"text", e.text},
              {"channel_id", e.channel_id},
              {"thread_id", e.thread_id},
              {"user", e.user},
              {"metadata", e.metadata},
              {"headers", e.headers},
              {"attempt", e.attempt},
              {"traceparent", e.traceparent},
              {"history", history_to_json(e.history)},
              {"replays", replays_to_json(e.replays)}};
  if (!e.report.empty()) out["report"] = e.report;
  body_to_json(e, out);
  return out;
}

Status validate_envelope(const Envelope& envelope, const EnvelopeLimits& limits) {
  if (auto s = check_counters(envelope); !s) return s;
  if (envelope.body.size() > limits.max_body_bytes) {
    return detail::too_many_bytes("envelope.body", envelope.body.size(), limits.max_body_bytes);
  }
  if (auto s = check_top_level_fields(envelope, limits); !s) return s;
  if (auto s = check_headers(envelope, limits); !s) return s;
  if (auto s = check_history(envelope, limits); !s) return s;
  return check_replays(envelope, limits);
}

void append_history(Envelope& envelope, HistoryEntry entry, std::size_t max_entries) {
  envelope.history.push_back(std::move(entry));
  if (envelope.history.size() > max_entries) {
    const auto excess = static_cast<std::ptrdiff_t>(envelope.history.size() - max_entries);
    envelope.history.erase(envelope.history.begin(), envelope.history.begin() + excess);
  }
}

}  // namespace aof::event
