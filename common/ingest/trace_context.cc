#include "common/ingest/trace_context.h"

#include <openssl/rand.h>

#include <array>
#include <random>

#include "common/ingest/signature.h"

namespace aof::ingest {
namespace {

constexpr std::size_t kLength = 55;  // 2 + 1 + 32 + 1 + 16 + 1 + 2

bool is_lower_hex(std::string_view s) {
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool all_zeros(std::string_view s) { return s.find_first_not_of('0') == std::string_view::npos; }

// Random bytes for ids: OpenSSL's CSPRNG, falling back to std::random_device if it fails
// (a trace id needs uniqueness, not secrecy).
std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    std::random_device device;
    for (char& c : raw) c = static_cast<char>(device());
  }
  return hex_encode(raw);
}

}  // namespace

bool is_valid_traceparent(std::string_view value) {
  if (value.size() < kLength) return false;
  if (value[2] != '-' || value[35] != '-' || value[52] != '-') return false;
  const std::string_view version = value.substr(0, 2);
  const std::string_view trace_id = value.substr(3, 32);
  const std::string_view parent_id = value.substr(36, 16);
  const std::string_view flags = value.substr(53, 2);
  if (!is_lower_hex(version) || !is_lower_hex(trace_id) || !is_lower_hex(parent_id) ||
      !is_lower_hex(flags)) {
    return false;
  }
  if (version == "ff" || all_zeros(trace_id) || all_zeros(parent_id)) return false;
  if (version == "00") return value.size() == kLength;
  return value.size() == kLength || value[kLength] == '-';
}

std::string continue_or_start_trace(std::string_view incoming) {
  if (is_valid_traceparent(incoming)) {
    return "00" + std::string(incoming.substr(2, kLength - 2));
  }
  std::string trace_id = random_hex(16);
  std::string span_id = random_hex(8);
  // All zeros is invalid; at 2^-128 odds, but the fix is free.
  if (all_zeros(trace_id)) trace_id.back() = '1';
  if (all_zeros(span_id)) span_id.back() = '1';
  return "00-" + trace_id + "-" + span_id + "-01";
}

}  // namespace aof::ingest
