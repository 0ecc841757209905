#include "common/config/secret_ref_parse.h"

#include <cstdio>
#include <ctime>

namespace aof::config {
namespace {

void read_time(Walker& walker, const Field& field, std::optional<std::int64_t>& out) {
  std::string text;
  if (!walker.read_string(field, text)) return;
  out = parse_time(text);
  if (!out) walker.error(field, "must be unix seconds or an RFC 3339 time");
}

// One entry of webhook_secrets; returns false when it is unusable.
bool read_secret_entry(Walker& walker, const Field& item, SecretRef& ref) {
  int sources = 0;
  const auto source = [&](std::string& target) {
    return [&walker, &target, &sources](const Field& f) {
      ++sources;
      walker.read_string(f, target);
    };
  };
  const std::size_t errors = walker.error_count();
  if (!walk_map(walker, item,
                {{"value_env", source(ref.value_env)},
                 {"value_file", source(ref.value_file)},
                 {"value", source(ref.value)},
                 {"not_before", [&](const Field& f) { read_time(walker, f, ref.not_before); }},
                 {"not_after", [&](const Field& f) { read_time(walker, f, ref.not_after); }}},
                UnknownKeys::kError)) {
    return false;
  }
  if (sources != 1) walker.error(item, "set exactly one of value_env, value_file, value");
  if (!ref.value.empty()) {
    walker.warning(item.at("value"), "literal secret; prefer value_env or value_file");
  }
  if (ref.not_before && ref.not_after && *ref.not_after <= *ref.not_before) {
    walker.error(item.at("not_after"), "must be after not_before");
  }
  ref.origin = walker.source(item);
  return walker.error_count() == errors;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm): timegm
// is not in the C++ standard.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<std::int64_t> parse_rfc3339(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) !=
          6 ||
      consumed != 19) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::string rest = text.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    const auto digits = rest.find_first_not_of("0123456789", 1);
    rest = digits == std::string::npos ? "" : rest.substr(digits);
  }
  std::int64_t offset = 0;
  int oh = 0, om = 0;
  if (rest == "Z" || rest == "z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') &&
             std::sscanf(rest.c_str() + 1, "%2d:%2d", &oh, &om) == 2) {
    offset = (rest[0] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
         h * 3600 + mi * 60 + s - offset;
}

}  // namespace

void read_secret_list(Walker& walker, const Field& field, std::vector<SecretRef>& out) {
  if (!walker.expect_sequence(field)) return;
  for (std::size_t i = 0; i < field.node.size(); ++i) {
    SecretRef ref;
    if (read_secret_entry(walker, field.item(i, field.node[i]), ref)) out.push_back(ref);
  }
}

SecretRef literal_secret(Walker& walker, const Field& field, const std::string& hint) {
  SecretRef ref;
  if (walker.read_string(field, ref.value)) walker.warning(field, "literal secret; " + hint);
  ref.origin = walker.source(field);
  return ref;
}

SecretRef env_secret(Walker& walker, const Field& field) {
  SecretRef ref;
  walker.read_string(field, ref.value_env);
  ref.origin = walker.source(field);
  return ref;
}

std::optional<std::int64_t> parse_time(const std::string& text) {
  if (const auto seconds = parse_integer(text)) return seconds;
  return parse_rfc3339(text);
}

}  // namespace aof::config
