#pragma once
// The envelope: what the sidecar publishes and the worker consumes (DESIGN §4). Versioned
// JSON; readers accept kEnvelopeVersion and kEnvelopeVersion-1. The raw body travels exactly
// as received: UTF-8 text as is, anything else base64 (body_encoding), or stored aside
// (body_ref). Parsing untrusted JSON is bounded by EnvelopeLimits.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.h"

namespace aof::event {

inline constexpr int kEnvelopeVersion = 1;

// kApproval: a decision on a paused flow (a Slack reaction, `aof flow approve`, a timeout);
// the worker's approval job (runtime/approval/approval_job.h) resolves it and resumes the
// flow. Its name is empty; metadata carries what it decides.
enum class TargetKind { kAgent, kAgentFleet, kAgentFlow, kApproval };
const char* to_string(TargetKind kind);

struct Target {
  TargetKind kind = TargetKind::kAgent;
  std::string name;
};

// One failed or expired attempt.
struct HistoryEntry {
  int attempt = 0;          // 1-based attempt number that failed
  std::string worker;       // consumer name
  std::string at;           // RFC 3339 time of the failure
  std::string error_class;  // ErrorCode name ("timeout", "invalid_argument", "lease_expired")
  std::string message;
};

// Set when an operator replays a dead letter (new generation).
struct ReplayInfo {
  int from_generation = 0;
  std::string by;  // who replayed (user@host)
  std::string at;  // RFC 3339
  // What the replay edited, with the old values ("action: opened -> closed; body: replaced,
  // was 812 bytes sha256 1f0c..."); "" when it ran unchanged.
  std::string changes;
};

struct Envelope {
  int v = kEnvelopeVersion;
  std::string id;           // ULID, unique per accepted delivery
  int generation = 0;       // +1 per operator replay
  std::string received_at;  // RFC 3339
  std::string platform;     // github, slack, ...
  std::string event;        // provider event type (X-GitHub-Event)
  std::string action;       // payload action ("" if none)
  std::string delivery_id;  // provider delivery id ("" if none)
  std::string dedup_key;    // what dedup was done on
  std::string tenant;       // org / repo / workspace
  int priority = 0;         // 0 = normal; higher first (later issues)
  std::string trigger;      // Trigger resource name
  Target target;
  std::string report;      // ours, from the binding's `report`: "review" posts the result as
                           // a GitHub pull request review; "" = the platform's usual reply.
                           // Written only when set
  std::string text;        // AOF's normalised message text
  std::string channel_id;  // AOF's normalised message channel (owner/repo#N, ...)
  std::string thread_id;
  nlohmann::json user = nlohmann::json::object();      // {id, username}
  nlohmann::json metadata = nlohmann::json::object();  // AOF's message metadata
  std::map<std::string, std::string> headers;          // needed to re-verify or replay
  std::string body;         // raw bytes as received (decoded from body_encoding)
  std::string body_ref;     // set when the body is stored aside ("" = inline)
  int attempt = 0;          // attempts started so far (1 while the first runs)
  std::string traceparent;  // W3C trace context
  std::vector<HistoryEntry> history;
  std::vector<ReplayInfo> replays;
};

struct EnvelopeLimits {
  std::size_t max_json_bytes = 40u << 20;  // whole serialized envelope (25 MiB body, base64)
  std::size_t max_body_bytes = 26214400;   // decoded body
  std::size_t max_history = 1000;          // history entries kept/accepted
  std::size_t max_headers = 64;
  std::size_t max_field_bytes = 64u << 10;  // any single string field other than the body
  std::size_t max_json_depth = 64;          // nesting of arrays/objects (user, metadata, ...)
};

// Serializes; body_encoding is "utf8" when the body is valid UTF-8, else "base64". `v` is
// always written as kEnvelopeVersion (the struct's `v` records the version it was read from).
std::string to_json(const Envelope& envelope);
nlohmann::json to_json_value(const Envelope& envelope);

// Parses and validates untrusted JSON. Errors (kInvalidArgument) name the offending field:
// unsupported version, missing id, body over limit, bad base64, wrong types.
Result<Envelope> parse_envelope(std::string_view json, const EnvelopeLimits& limits = {});
Result<Envelope> from_json_value(const nlohmann::json& value, const EnvelopeLimits& limits = {});

// Checks the bounds of an envelope built in memory (what a publisher must check before it
// writes): id present, counts non-negative, body / history / headers / string fields within
// `limits`. The same messages as the parser's, e.g.
// "envelope.body: 27000000 bytes exceeds the 26214400-byte limit".
Status validate_envelope(const Envelope& envelope, const EnvelopeLimits& limits = {});

// Appends one history entry, dropping the oldest beyond `max_entries` so a long-lived,
// often-replayed event never outgrows what readers accept.
void append_history(Envelope& envelope, HistoryEntry entry,
                    std::size_t max_entries = EnvelopeLimits{}.max_history);

// A message text as AOF cleans it before a flow or an agent sees it (reference §2.5):
// "<@USERID>" mentions (regex <@[A-Z0-9]+>) removed, then trimmed.
std::string clean_message_text(std::string_view text);

// The trigger data a flow sees as ${event} / ${trigger} (reference §2.5, AOF's shape):
// {"event": {type, text, user, channel_id, thread_id, timestamp, metadata}, "platform",
//  "flow_name", "match_reason", "match_score"} plus our "event_id", "delivery_id".
// `text` is cleaned as AOF cleans it for flows (<@USERID> mentions removed, trimmed);
// `flow_name` is the target name for AgentFlow targets and "" otherwise; an empty thread_id
// is null (AOF's Option).
nlohmann::json trigger_data(const Envelope& envelope);

}  // namespace aof::event
