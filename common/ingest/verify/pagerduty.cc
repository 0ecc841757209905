#include "common/ingest/verify/pagerduty.h"

namespace aof::ingest::verify {
namespace {

constexpr std::string_view kHeader = "x-pagerduty-signature";
constexpr std::size_t kMaxEntries = 8;

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Whether `entry` is "v<digits>=<something>".
bool is_versioned_entry(std::string_view entry) {
  const std::size_t eq = entry.find('=');
  if (eq == std::string_view::npos || eq < 2 || eq + 1 == entry.size() || entry[0] != 'v') {
    return false;
  }
  for (std::size_t i = 1; i < eq; ++i) {
    if (entry[i] < '0' || entry[i] > '9') return false;
  }
  return true;
}

// The raw v1 digests of the header, or nullopt when it is malformed.
std::optional<std::vector<std::string>> v1_digests(std::string_view value) {
  std::vector<std::string> digests;
  std::size_t entries = 0;
  while (true) {
    const std::size_t comma = value.find(',');
    const std::string_view entry = trim_spaces(value.substr(0, comma));
    if (++entries > kMaxEntries || !is_versioned_entry(entry)) return std::nullopt;
    if (entry.substr(0, 3) == "v1=") {
      auto digest = parse_digest(entry, "v1=", DigestAlgorithm::kSha256, DigestEncoding::kHex);
      if (!digest) return std::nullopt;
      digests.push_back(std::move(*digest));
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  if (digests.empty()) return std::nullopt;
  return digests;
}

}  // namespace

VerifyResult verify_pagerduty(const Headers& headers, std::string_view body, const Secrets& secrets,
                              std::int64_t now) {
  std::string_view value;
  if (auto failed = read_header(headers, kHeader, value)) return *failed;
  std::optional<std::vector<std::string>> digests = v1_digests(value);
  if (!digests) {
    return failure(Outcome::kMalformed,
                   std::string(kHeader) + ": expected 1-8 comma-separated v1=<64 hex>");
  }
  return verify_hmac(secrets, now, DigestAlgorithm::kSha256, {body}, *digests);
}

}  // namespace aof::ingest::verify
