#include "common/ingest/trace_context.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <random>

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

// Random hex for trace and span ids from a per-thread generator seeded once from OpenSSL's
// CSPRNG: ids need uniqueness, not secrecy, and RAND_bytes per id (two per webhook) cost ~3%
// of the sidecar's CPU per request. 256 bits of seed: two threads' streams never coincide
// in practice.
std::mt19937_64& thread_rng() {
  thread_local std::mt19937_64 rng = [] {
    std::array<std::uint32_t, 8> seed{};
    if (RAND_bytes(reinterpret_cast<unsigned char*>(seed.data()), sizeof seed) != 1) {
      std::random_device device;
      for (auto& word : seed) word = device();
    }
    std::seed_seq sequence(seed.begin(), seed.end());
    return std::mt19937_64(sequence);
  }();
  return rng;
}

std::string random_hex(std::size_t bytes) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out(bytes * 2, '0');
  auto& rng = thread_rng();
  for (std::size_t i = 0; i < out.size(); i += 16) {
    std::uint64_t word = rng();
    for (std::size_t k = i; k < out.size() && k < i + 16; ++k, word >>= 4)
      out[k] = kHex[word & 0xF];
  }
  return out;
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
