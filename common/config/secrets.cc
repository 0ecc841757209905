// Turning SecretRefs into bytes. Messages name the variable or file and where it was
// configured, never the secret.
#include "common/config/secrets.h"

#include <fstream>
#include <sstream>

namespace aof::config {
namespace {

Error invalid(const SecretRef& ref, const std::string& message) {
  return Error(ErrorCode::kInvalidArgument,
               ref.origin.empty() ? message : ref.origin + ": " + message);
}

Result<Secret> from_env(const SecretRef& ref, const EnvLookup& env) {
  const char* value = env(ref.value_env.c_str());
  if (value == nullptr || *value == '\0') {
    return invalid(ref, "environment variable " + ref.value_env + " is not set or empty");
  }
  return Secret{value, ref.not_before, ref.not_after, "env " + ref.value_env};
}

Result<Secret> from_file(const SecretRef& ref) {
  std::ifstream in(ref.value_file, std::ios::binary);
  if (!in) return invalid(ref, "cannot read secret file " + ref.value_file);
  std::ostringstream text;
  text << in.rdbuf();
  std::string bytes = text.str();
  // Files written by editors and `echo` end with a newline that is not part of the secret.
  while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r')) bytes.pop_back();
  if (bytes.empty()) return invalid(ref, "secret file " + ref.value_file + " is empty");
  return Secret{std::move(bytes), ref.not_before, ref.not_after, "file " + ref.value_file};
}

Result<Secret> resolve(const SecretRef& ref, const EnvLookup& env) {
  if (!ref.value_env.empty()) return from_env(ref, env);
  if (!ref.value_file.empty()) return from_file(ref);
  if (!ref.value.empty()) return Secret{ref.value, ref.not_before, ref.not_after, "literal"};
  return invalid(ref, "secret has no value_env, value_file or value");
}

}  // namespace

bool Secret::active_at(std::int64_t now_secs) const {
  if (not_before && now_secs < *not_before) return false;
  if (not_after && now_secs > *not_after) return false;
  return true;
}

Result<std::vector<Secret>> resolve_secrets(const std::vector<SecretRef>& refs,
                                            const EnvLookup& env) {
  std::vector<Secret> secrets;
  for (const auto& ref : refs) {
    auto secret = resolve(ref, env);
    if (!secret.ok()) return secret.error();
    secrets.push_back(std::move(secret).value());
  }
  return secrets;
}

}  // namespace aof::config
