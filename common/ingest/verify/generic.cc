#include "common/ingest/verify/generic.h"

#include <array>

namespace aof::ingest::verify {
namespace {

constexpr std::string_view kTimestampSlot = "{timestamp}";
constexpr std::string_view kBodySlot = "{body}";
constexpr std::size_t kMaxNameBytes = 64;
constexpr std::size_t kMaxPrefixBytes = 64;
constexpr std::int64_t kMaxToleranceSecs = 86400;

// The signed payload as five parts: literal, slot, literal, slot, literal, where the slots
// are the timestamp and the body in template order. nullopt unless the template has each
// slot exactly once and no other brace.
struct SignedTemplate {
  std::array<std::string_view, 3> literals;
  bool timestamp_first = true;
};

std::optional<SignedTemplate> parse_template(std::string_view tpl) {
  const std::size_t ts = tpl.find(kTimestampSlot);
  const std::size_t body = tpl.find(kBodySlot);
  if (ts == std::string_view::npos || body == std::string_view::npos) return std::nullopt;
  SignedTemplate out;
  out.timestamp_first = ts < body;
  const std::size_t first = std::min(ts, body);
  const std::size_t first_end = first + (out.timestamp_first ? kTimestampSlot : kBodySlot).size();
  const std::size_t second = std::max(ts, body);
  if (second < first_end) return std::nullopt;
  const std::size_t second_end = second + (out.timestamp_first ? kBodySlot : kTimestampSlot).size();
  out.literals = {tpl.substr(0, first), tpl.substr(first_end, second - first_end),
                  tpl.substr(second_end)};
  for (const std::string_view literal : out.literals) {
    if (literal.find_first_of("{}") != std::string_view::npos) return std::nullopt;
  }
  return out;
}

Status invalid(const std::string& message) { return Error(ErrorCode::kInvalidArgument, message); }

}  // namespace

bool is_header_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

Status validate_generic_config(const GenericConfig& config) {
  if (!is_header_name(config.header)) {
    return invalid("header: must be 1-64 characters of a-z 0-9 -");
  }
  if (config.prefix.size() > kMaxPrefixBytes) return invalid("prefix: must be at most 64 bytes");
  if (config.timestamp_header.empty()) return ok_status();
  if (!is_header_name(config.timestamp_header) || config.timestamp_header == config.header) {
    return invalid(
        "timestamp_header: must be 1-64 characters of a-z 0-9 - and not the "
        "signature header");
  }
  if (!parse_template(config.signed_payload)) {
    return invalid("signed_payload: must contain {timestamp} and {body} exactly once each");
  }
  if (config.tolerance_secs < 1 || config.tolerance_secs > kMaxToleranceSecs) {
    return invalid("tolerance_secs: must be between 1 and 86400");
  }
  return ok_status();
}

std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name) {
  for (const DigestAlgorithm a :
       {DigestAlgorithm::kSha1, DigestAlgorithm::kSha256, DigestAlgorithm::kSha512}) {
    if (name == to_string(a)) return a;
  }
  return std::nullopt;
}

std::optional<DigestEncoding> parse_digest_encoding(std::string_view name) {
  for (const DigestEncoding e : {DigestEncoding::kHex, DigestEncoding::kBase64}) {
    if (name == to_string(e)) return e;
  }
  return std::nullopt;
}

VerifyResult verify_generic(const GenericConfig& config, const Headers& headers,
                            std::string_view body, const Secrets& secrets, std::int64_t now) {
  if (!validate_generic_config(config).ok()) {
    return failure(Outcome::kMalformed, "generic source: invalid config, request refused");
  }
  std::string_view signature;
  std::string_view timestamp;
  if (auto failed = read_header(headers, config.header, signature)) return *failed;
  const bool timestamped = !config.timestamp_header.empty();
  if (timestamped) {
    if (auto failed = read_header(headers, config.timestamp_header, timestamp)) return *failed;
  }
  std::optional<std::string> digest =
      parse_digest(signature, config.prefix, config.algorithm, config.encoding);
  if (!digest) {
    return failure(Outcome::kMalformed, config.header + ": expected the prefix and one " +
                                            std::string(to_string(config.algorithm)) + " " +
                                            std::string(to_string(config.encoding)) + " digest");
  }
  if (!timestamped) {
    return verify_hmac(secrets, now, config.algorithm, {body}, {std::move(*digest)});
  }
  const Outcome fresh = check_timestamp(timestamp, now, config.tolerance_secs);
  if (fresh != Outcome::kVerified) return failure(fresh, config.timestamp_header);
  const SignedTemplate tpl = *parse_template(config.signed_payload);  // validated above
  const std::string_view first = tpl.timestamp_first ? timestamp : body;
  const std::string_view second = tpl.timestamp_first ? body : timestamp;
  return verify_hmac(secrets, now, config.algorithm,
                     {tpl.literals[0], first, tpl.literals[1], second, tpl.literals[2]},
                     {std::move(*digest)});
}

}  // namespace aof::ingest::verify
