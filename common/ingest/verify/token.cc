#include "common/ingest/verify/token.h"

namespace aof::ingest::verify {
namespace {

constexpr std::size_t kTelegramMaxToken = 256;

bool is_telegram_token(std::string_view token) {
  if (token.empty() || token.size() > kTelegramMaxToken) return false;
  for (const char c : token) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

VerifyResult verify_gitlab(const Headers& headers, std::string_view /*body*/,
                           const Secrets& secrets, std::int64_t now) {
  std::string_view token;
  if (auto failed = read_header(headers, "x-gitlab-token", token)) return *failed;
  return verify_token(secrets, now, token);
}

VerifyResult verify_telegram(const Headers& headers, std::string_view /*body*/,
                             const Secrets& secrets, std::int64_t now) {
  constexpr std::string_view kHeader = "x-telegram-bot-api-secret-token";
  std::string_view token;
  if (auto failed = read_header(headers, kHeader, token)) return *failed;
  if (!is_telegram_token(token)) {
    return failure(Outcome::kMalformed,
                   std::string(kHeader) + ": expected 1-256 characters of A-Z a-z 0-9 _ -");
  }
  return verify_token(secrets, now, token);
}

VerifyResult verify_opsgenie(const OpsgenieConfig& config, const Headers& headers,
                             std::string_view /*body*/, const Secrets& secrets, std::int64_t now) {
  std::string_view value;
  if (auto failed = read_header(headers, config.header, value)) return *failed;
  if (value.substr(0, config.prefix.size()) != config.prefix ||
      value.size() == config.prefix.size()) {
    return failure(Outcome::kMalformed,
                   config.header + ": expected \"" + config.prefix + "\" and the token");
  }
  return verify_token(secrets, now, value.substr(config.prefix.size()));
}

}  // namespace aof::ingest::verify
