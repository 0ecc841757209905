#include "common/base/ids.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <random>

namespace aof {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::mt19937_64& thread_rng() {
  // Seeded once per thread from OpenSSL's CSPRNG; ids need uniqueness, not secrecy.
  thread_local std::mt19937_64 rng = [] {
    std::uint64_t seed = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed) != 1) {
      seed = std::random_device{}();
    }
    return std::mt19937_64(seed);
  }();
  return rng;
}

}  // namespace

std::string new_ulid(TimePoint t) {
  std::array<std::uint8_t, 16> bytes{};
  const auto ms = static_cast<std::uint64_t>(to_unix_ms(t));
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
  auto& rng = thread_rng();
  const std::uint64_t r1 = rng();
  const std::uint64_t r2 = rng();
  for (int i = 0; i < 8; ++i) bytes[6 + i] = static_cast<std::uint8_t>(r1 >> (8 * i));
  for (int i = 0; i < 2; ++i) bytes[14 + i] = static_cast<std::uint8_t>(r2 >> (8 * i));

  // 128 bits → 26 base32 digits; the first digit carries only 3 bits.
  std::string out(26, '0');
  __extension__ using Uint128 = unsigned __int128;  // GCC and Clang have it; -Wpedantic aside
  Uint128 v = 0;
  for (auto b : bytes) v = (v << 8) | b;
  for (int i = 25; i >= 0; --i) {
    out[i] = kCrockford[static_cast<int>(v & 31)];
    v >>= 5;
  }
  return out;
}

bool is_ulid(const std::string& s) {
  if (s.size() != 26 || s[0] > '7') return false;
  for (char c : s) {
    bool found = false;
    for (const char* p = kCrockford; *p; ++p) found = found || (*p == c);
    if (!found) return false;
  }
  return true;
}

}  // namespace aof
