// Reading envelopes from untrusted JSON. Type checks come before every access, so nlohmann
// never throws on a wrong type; bounds are checked by validate_envelope (envelope.cc) with
// the same messages. Unknown keys are ignored: a writer of the same version may add optional
// fields without breaking readers.
#include <algorithm>
#include <climits>
#include <optional>

#include "common/event/body_codec.h"
#include "common/event/envelope.h"
#include "common/event/envelope_errors.h"

namespace aof::event {
namespace {

using detail::invalid_field;
using nlohmann::json;

constexpr int kOldestReadableVersion = kEnvelopeVersion - 1;

std::string describe(const json& value) {
  return value.is_number_float() ? std::string("a fractional number") : value.type_name();
}

// Reads typed fields, remembering only the first error so callers can read a whole object
// and check once. Absent keys leave the destination at its default.
class Reader {
 public:
  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }
  void fail(Error error) {
    if (!error_) error_ = std::move(error);
  }

  const json* find(const json& object, const char* key) const {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  void string(const json& object, const std::string& path, std::string& out) {
    const json* value = find(object, leaf(path));
    if (!value || !ok()) return;
    if (!value->is_string()) return wrong_type(path, "a string", *value);
    out = value->get<std::string>();
  }

  void integer(const json& object, const std::string& path, int& out) {
    const json* value = find(object, leaf(path));
    if (!value || !ok()) return;
    if (!value->is_number_integer()) return wrong_type(path, "an integer", *value);
    const bool too_big = value->is_number_unsigned() && value->get<std::uint64_t>() > INT_MAX;
    const std::int64_t n = too_big ? 0 : value->get<std::int64_t>();
    if (too_big || n < INT_MIN || n > INT_MAX) {
      return fail(invalid_field(path, value->dump() + " is out of range"));
    }
    out = static_cast<int>(n);
  }

  // An object member (null reads as empty). Returns it, or nullptr if absent or wrong.
  const json* object(const json& object, const std::string& path, json* out = nullptr) {
    const json* value = find(object, leaf(path));
    if (!value || !ok() || value->is_null()) return nullptr;
    if (!value->is_object()) return wrong_type(path, "an object", *value), nullptr;
    if (out) *out = *value;
    return value;
  }

  const json* array(const json& object, const std::string& path) {
    const json* value = find(object, leaf(path));
    if (!value || !ok() || value->is_null()) return nullptr;
    if (!value->is_array()) return wrong_type(path, "an array", *value), nullptr;
    return value;
  }

  void wrong_type(const std::string& path, const char* expected, const json& got) {
    fail(invalid_field(path, std::string("expected ") + expected + ", got " + describe(got)));
  }

 private:
  // "envelope.history[2].worker" → "worker": the key is the last path component.
  static const char* leaf(const std::string& path) { return path.c_str() + path.rfind('.') + 1; }

  std::optional<Error> error_;
};

void read_scalars(Reader& r, const json& j, Envelope& e) {
  const std::pair<const char*, std::string*> strings[] = {
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
      {"text", &e.text},
      {"channel_id", &e.channel_id},
      {"thread_id", &e.thread_id},
      {"body_ref", &e.body_ref},
      {"traceparent", &e.traceparent},
  };
  for (const auto& [key, out] : strings) r.string(j, std::string("envelope.") + key, *out);
  r.integer(j, "envelope.generation", e.generation);
  r.integer(j, "envelope.priority", e.priority);
  r.integer(j, "envelope.attempt", e.attempt);
  r.object(j, "envelope.user", &e.user);
  r.object(j, "envelope.metadata", &e.metadata);
}

void read_target(Reader& r, const json& j, Envelope& e) {
  const json* target = r.object(j, "envelope.target");
  if (!target) return;
  std::string kind = to_string(e.target.kind);
  r.string(*target, "envelope.target.kind", kind);
  r.string(*target, "envelope.target.name", e.target.name);
  for (auto k : {TargetKind::kAgent, TargetKind::kAgentFleet, TargetKind::kAgentFlow,
                 TargetKind::kApproval}) {
    if (kind == to_string(k)) return void(e.target.kind = k);
  }
  r.fail(invalid_field("envelope.target.kind", "unknown kind \"" + kind +
                                                  "\" (expected Agent, AgentFleet, AgentFlow "
                                                  "or Approval)"));
}

void read_headers(Reader& r, const json& j, Envelope& e, const EnvelopeLimits& limits) {
  const json* headers = r.object(j, "envelope.headers");
  if (!headers) return;
  if (headers->size() > limits.max_headers) {
    return r.fail(
        detail::too_many_entries("envelope.headers", headers->size(), limits.max_headers));
  }
  for (const auto& [name, value] : headers->items()) {
    if (!value.is_string()) return r.wrong_type("envelope.headers." + name, "a string", value);
    e.headers[name] = value.get<std::string>();
  }
}

void read_history(Reader& r, const json& j, Envelope& e, const EnvelopeLimits& limits) {
  const json* history = r.array(j, "envelope.history");
  if (!history) return;
  if (history->size() > limits.max_history) {
    return r.fail(
        detail::too_many_entries("envelope.history", history->size(), limits.max_history));
  }
  for (std::size_t i = 0; i < history->size() && r.ok(); ++i) {
    const std::string path = "envelope.history[" + std::to_string(i) + "]";
    const json& item = (*history)[i];
    if (!item.is_object()) return r.wrong_type(path, "an object", item);
    HistoryEntry h;
    r.integer(item, path + ".attempt", h.attempt);
    r.string(item, path + ".worker", h.worker);
    r.string(item, path + ".at", h.at);
    r.string(item, path + ".error_class", h.error_class);
    r.string(item, path + ".message", h.message);
    e.history.push_back(std::move(h));
  }
}

void read_replays(Reader& r, const json& j, Envelope& e, const EnvelopeLimits& limits) {
  const json* replays = r.array(j, "envelope.replays");
  if (!replays) return;
  if (replays->size() > limits.max_history) {
    return r.fail(
        detail::too_many_entries("envelope.replays", replays->size(), limits.max_history));
  }
  for (std::size_t i = 0; i < replays->size() && r.ok(); ++i) {
    const std::string path = "envelope.replays[" + std::to_string(i) + "]";
    const json& item = (*replays)[i];
    if (!item.is_object()) return r.wrong_type(path, "an object", item);
    ReplayInfo info;
    r.integer(item, path + ".from_generation", info.from_generation);
    r.string(item, path + ".by", info.by);
    r.string(item, path + ".at", info.at);
    r.string(item, path + ".changes", info.changes);
    e.replays.push_back(std::move(info));
  }
}

// Decodes base64 after checking the decoded size arithmetically, so an oversized body is
// refused before it is allocated.
void decode_base64_body(Reader& r, const std::string& text, Envelope& e,
                        const EnvelopeLimits& limits) {
  if (text.size() % 4 == 0 && base64_decoded_size(text) > limits.max_body_bytes) {
    return r.fail(
        detail::too_many_bytes("envelope.body", base64_decoded_size(text), limits.max_body_bytes));
  }
  auto decoded = base64_decode(text);
  if (!decoded) return r.fail(decoded.error().with_context("envelope.body"));
  e.body = std::move(decoded).value();
}

void read_body(Reader& r, const json& j, Envelope& e, const EnvelopeLimits& limits) {
  if (!r.find(j, "body")) return;
  std::string text;
  std::string encoding;
  r.string(j, "envelope.body", text);
  r.string(j, "envelope.body_encoding", encoding);
  if (!r.ok()) return;
  if (!r.find(j, "body_encoding"))
    return r.fail(invalid_field("envelope.body_encoding", "missing"));
  if (encoding == "base64") return decode_base64_body(r, text, e, limits);
  if (encoding != "utf8") {
    return r.fail(invalid_field("envelope.body_encoding",
                                "unknown encoding \"" + encoding + "\" (expected utf8 or base64)"));
  }
  e.body = std::move(text);
}

Status check_version(const json& j, Envelope& e) {
  Reader r;
  if (!r.find(j, "v")) return invalid_field("envelope.v", "missing");
  r.integer(j, "envelope.v", e.v);
  if (!r.ok()) return r.error();
  if (e.v < kOldestReadableVersion || e.v > kEnvelopeVersion) {
    return invalid_field("envelope.v", "unsupported version " + std::to_string(e.v) +
                                           " (this build reads " +
                                           std::to_string(kOldestReadableVersion) + " and " +
                                           std::to_string(kEnvelopeVersion) + ")");
  }
  return ok_status();
}

// Nesting depth of raw JSON text, counted without parsing (the parser and dump() recurse
// per level in places, so depth is bounded before either runs).
std::size_t text_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

// Whether `value` nests deeper than `limit`; recursion stops at the limit.
bool deeper_than(const json& value, std::size_t limit) {
  if (!value.is_structured()) return false;
  if (limit == 0) return true;
  for (const auto& child : value) {
    if (deeper_than(child, limit - 1)) return true;
  }
  return false;
}

Error too_deep(const EnvelopeLimits& limits) {
  return invalid_field("envelope",
                       "nesting deeper than " + std::to_string(limits.max_json_depth) + " levels");
}

Result<Envelope> read_envelope(const json& j, const EnvelopeLimits& limits) {
  if (!j.is_object()) return invalid_field("envelope", "expected an object, got " + describe(j));
  Envelope e;
  if (auto s = check_version(j, e); !s) return s.error();
  if (!j.contains("id")) return invalid_field("envelope.id", "missing");
  Reader r;
  read_scalars(r, j, e);
  read_target(r, j, e);
  read_headers(r, j, e, limits);
  read_history(r, j, e, limits);
  read_replays(r, j, e, limits);
  read_body(r, j, e, limits);
  if (!r.ok()) return r.error();
  if (auto s = validate_envelope(e, limits); !s) return s.error();
  return e;
}

}  // namespace

Result<Envelope> from_json_value(const json& value, const EnvelopeLimits& limits) {
  if (deeper_than(value, limits.max_json_depth)) return too_deep(limits);
  try {
    return read_envelope(value, limits);
  } catch (const json::exception& e) {
    // Unreachable if the type checks above are complete; kept so a gap is an error, not a
    // crash of the consume loop.
    return invalid_field("envelope", std::string("unreadable: ") + e.what());
  }
}

Result<Envelope> parse_envelope(std::string_view text, const EnvelopeLimits& limits) {
  if (text.size() > limits.max_json_bytes) {
    return detail::too_many_bytes("envelope", text.size(), limits.max_json_bytes);
  }
  if (text_depth(text) > limits.max_json_depth) return too_deep(limits);
  json value;
  try {
    value = json::parse(text);
  } catch (const json::parse_error& e) {
    // The byte offset only: nlohmann's own message quotes input, which may be payload.
    return invalid_field("envelope", "malformed JSON at byte " + std::to_string(e.byte));
  } catch (const json::exception&) {
    return invalid_field("envelope", "malformed JSON (a number is out of range)");
  }
  return from_json_value(value, limits);
}

}  // namespace aof::event
