// The trigger data a flow sees (reference §2.5): AOF's shape, built from the envelope.
#include <string_view>

#include "common/event/envelope.h"

namespace aof::event {
namespace {

using nlohmann::json;

bool is_mention_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Length of a "<@USERID>" mention (AOF's regex <@[A-Z0-9]+>) at the start of `s`, or 0.
std::size_t mention_length(std::string_view s) {
  if (s.size() < 4 || s[0] != '<' || s[1] != '@') return 0;
  std::size_t i = 2;
  while (i < s.size() && is_mention_char(s[i])) ++i;
  return (i > 2 && i < s.size() && s[i] == '>') ? i + 1 : 0;
}

std::string trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return "";
  return std::string(s.substr(first, s.find_last_not_of(kSpace) - first + 1));
}

json user_of(const Envelope& e) {
  json user = {{"id", ""}, {"username", ""}};
  if (!e.user.is_object()) return user;
  for (const char* key : {"id", "username"}) {
    if (const auto it = e.user.find(key); it != e.user.end()) user[key] = *it;
  }
  return user;
}

}  // namespace

std::string clean_message_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t skip = mention_length(text.substr(i));
    if (skip > 0) {
      i += skip;
    } else {
      out += text[i++];
    }
  }
  return trim(out);
}

json trigger_data(const Envelope& e) {
  json event = {{"type", "message"},
                {"text", clean_message_text(e.text)},
                {"user", user_of(e)},
                {"channel_id", e.channel_id},
                // AOF's thread_id is an Option: absent serializes as null, not "".
                {"thread_id", e.thread_id.empty() ? json(nullptr) : json(e.thread_id)},
                {"timestamp", e.received_at},
                {"metadata", e.metadata.is_object() ? e.metadata : json::object()}};
  const bool flow = e.target.kind == TargetKind::kAgentFlow;
  return {{"event", std::move(event)},
          {"platform", e.platform},
          {"flow_name", flow ? e.target.name : std::string()},
          {"match_reason", "ExplicitDefault"},
          {"match_score", 100},
          {"event_id", e.id},
          {"delivery_id", e.delivery_id}};
}

}  // namespace aof::event
