#include <string_view>

#include "common/runtime/report/platform_requests.h"

namespace aof::runtime::report {
namespace {

constexpr std::string_view kTail = "\n… (truncated)";

// The longest prefix of `text` within `max_bytes` that does not split a UTF-8 sequence.
std::size_t utf8_cut(const std::string& text, std::size_t max_bytes) {
  std::size_t cut = std::min(max_bytes, text.size());
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return cut;
}

}  // namespace

// The string at `key`, if that is what it holds.
static const std::string* string_at(const nlohmann::json& value, const char* key) {
  if (!value.is_object() || !value.contains(key) || !value[key].is_string()) return nullptr;
  return value[key].get_ptr<const std::string*>();
}

ReportText text_of_result(const nlohmann::json& result) {
  if (const auto* output = string_at(result, "output")) return {true, *output};  // an agent
  if (result.is_object() && result.contains("output") && result["output"].is_object()) {
    const auto& last = result["output"];  // a flow: its last node's output
    // "message": a Slack or Discord node's, the text it posted.
    for (const char* key : {"output", "response", "message"}) {
      if (const auto* text = string_at(last, key)) return {true, *text};
    }
    return {true, last.dump(2)};
  }
  if (const auto* response = string_at(result, "response")) return {true, *response};
  return {true, result.dump(2)};
}

ReportText text_of_error(const std::string& message) {
  return {false, "Sorry, I encountered an error: " + message};
}

std::string bounded(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  if (max_bytes <= kTail.size()) return text.substr(0, utf8_cut(text, max_bytes));
  return text.substr(0, utf8_cut(text, max_bytes - kTail.size())) + std::string(kTail);
}

std::string decorated(const ReportText& text, std::size_t max_bytes) {
  if (!text.decorated) return bounded(text.text, max_bytes);
  return bounded((text.success ? "✅ " : "❌ ") + text.text, max_bytes);
}

std::string base_url(const std::string& value, const std::string& fallback) {
  std::string url = value.empty() ? fallback : value;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string metadata_text(const event::Envelope& envelope, const char* key) {
  if (!envelope.metadata.is_object() || !envelope.metadata.contains(key)) return "";
  const auto& value = envelope.metadata[key];
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  return "";
}

HttpRequest json_post(std::string url, const nlohmann::json& body,
                      std::map<std::string, std::string> headers) {
  HttpRequest request;
  request.method = "POST";
  request.url = std::move(url);
  request.headers = std::move(headers);
  request.headers["Content-Type"] = "application/json";
  request.body = body.dump();
  request.timeout = std::chrono::milliseconds(30000);
  request.max_response_bytes = 1u << 20;
  return request;
}

}  // namespace aof::runtime::report
