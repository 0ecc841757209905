// to_json without building a tree first. The publish path serializes one envelope per accepted
// webhook, and copying a 25 KB body into a nlohmann value, then escaping it byte by byte, was a
// large part of the sidecar's CPU per request. The text is byte for byte what
// to_json_value(e).dump() gives (keys in std::map order, invalid UTF-8 outside the body
// replaced by U+FFFD); envelope_write_test.cc compares the two.
#include "common/base/text_scan.h"
#include "common/event/body_codec.h"
#include "common/event/envelope.h"

namespace aof::event {
namespace {

using nlohmann::json;

// nlohmann's escapes: the short forms, else \u00XX with lower-case hex.
void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      break;
  }
  constexpr char kHex[] = "0123456789abcdef";
  out += "\\u00";
  out += kHex[c >> 4];
  out += kHex[c & 0xF];
}

// A JSON string as nlohmann dumps it with ensure_ascii=false, for `s` known to be valid UTF-8:
// copied in runs, only quotes, backslashes and control characters escaped.
void append_utf8_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t run = 0;
  while (true) {
    const std::size_t stop = text_scan::json_plain_end(s, run, /*stop_at_non_ascii=*/false);
    out.append(s.data() + run, stop - run);
    if (stop == s.size()) break;
    append_escape(out, static_cast<unsigned char>(s[stop]));
    run = stop + 1;
  }
  out += '"';
}

// Any string: invalid UTF-8 goes through nlohmann's own serializer, which replaces it.
void append_string(std::string& out, std::string_view s) {
  if (is_valid_utf8(s)) return append_utf8_string(out, s);
  out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
}

void append_tree(std::string& out, const json& value) {
  out += value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Writes `"key":` preceded by a comma unless it is the first member.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  void string(const char* key, std::string_view value) { append_string(begin(key), value); }
  void utf8_string(const char* key, std::string_view valid) {
    append_utf8_string(begin(key), valid);
  }
  void number(const char* key, int value) { begin(key) += std::to_string(value); }
  void tree(const char* key, const json& value) { append_tree(begin(key), value); }
  // A member whose key is data (a header name), escaped like a value.
  void string_member(std::string_view key, std::string_view value) {
    if (!first_) out_ += ',';
    first_ = false;
    append_string(out_, key);
    out_ += ':';
    append_string(out_, value);
  }
  void close() { out_ += '}'; }
  std::string& begin(const char* key) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += key;
    return out_ += "\":";
  }

 private:
  std::string& out_;
  bool first_ = true;
};

void write_history(ObjectWriter& w, const std::vector<HistoryEntry>& history) {
  std::string& out = w.begin("history");
  out += '[';
  for (std::size_t i = 0; i < history.size(); ++i) {
    if (i > 0) out += ',';
    const HistoryEntry& h = history[i];
    ObjectWriter entry(out);
    entry.string("at", h.at);
    entry.number("attempt", h.attempt);
    entry.string("error_class", h.error_class);
    entry.string("message", h.message);
    entry.string("worker", h.worker);
    entry.close();
  }
  out += ']';
}

void write_replays(ObjectWriter& w, const std::vector<ReplayInfo>& replays) {
  std::string& out = w.begin("replays");
  out += '[';
  for (std::size_t i = 0; i < replays.size(); ++i) {
    if (i > 0) out += ',';
    ObjectWriter entry(out);
    entry.string("at", replays[i].at);
    entry.string("by", replays[i].by);
    if (!replays[i].changes.empty()) entry.string("changes", replays[i].changes);
    entry.number("from_generation", replays[i].from_generation);
    entry.close();
  }
  out += ']';
}

// As a tree of `headers` would dump (std::map order), without building one: ~15 headers are
// ~45 allocations per webhook that way.
void write_headers(ObjectWriter& w, const std::map<std::string, std::string>& headers) {
  ObjectWriter h(w.begin("headers"));
  for (const auto& [name, value] : headers) h.string_member(name, value);
  h.close();
}

void write_target(ObjectWriter& w, const Target& target) {
  ObjectWriter t(w.begin("target"));
  t.string("kind", to_string(target.kind));
  t.string("name", target.name);
  t.close();
}

void write_body(ObjectWriter& w, const Envelope& e) {
  if (is_valid_utf8(e.body)) {
    w.utf8_string("body", e.body);  // checked once above, not again while escaping
    w.string("body_encoding", "utf8");
  } else {
    w.string("body", base64_encode(e.body));
    w.string("body_encoding", "base64");
  }
  if (!e.body_ref.empty()) w.string("body_ref", e.body_ref);
}

}  // namespace

std::string to_json(const Envelope& e) {
  std::string out;
  out.reserve(e.body.size() + e.body.size() / 8 + 2048);
  ObjectWriter w(out);  // members in std::map (byte) order, as nlohmann writes an object
  w.string("action", e.action);
  w.number("attempt", e.attempt);
  write_body(w, e);
  w.string("channel_id", e.channel_id);
  w.string("dedup_key", e.dedup_key);
  w.string("delivery_id", e.delivery_id);
  w.string("event", e.event);
  w.number("generation", e.generation);
  write_headers(w, e.headers);
  write_history(w, e.history);
  w.string("id", e.id);
  w.tree("metadata", e.metadata);
  w.string("platform", e.platform);
  w.number("priority", e.priority);
  w.string("received_at", e.received_at);
  write_replays(w, e.replays);
  if (!e.report.empty()) w.string("report", e.report);  // older readers see no change
  write_target(w, e.target);
  w.string("tenant", e.tenant);
  w.string("text", e.text);
  w.string("thread_id", e.thread_id);
  w.string("traceparent", e.traceparent);
  w.string("trigger", e.trigger);
  w.tree("user", e.user);
  w.number("v", kEnvelopeVersion);
  w.close();
  return out;
}

}  // namespace aof::event
