#include "common/config/yaml_walk.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace aof::config {
namespace {

// Plain (unquoted) scalars carry the non-specific tag "?"; quoted and block scalars "!".
bool is_plain(const YAML::Node& node) { return node.Tag() == "?"; }

bool is_bool_text(const std::string& s, bool& value) {
  static const std::set<std::string> kTrue = {"true", "True", "TRUE"};
  static const std::set<std::string> kFalse = {"false", "False", "FALSE"};
  if (kTrue.count(s))
    value = true;
  else if (kFalse.count(s))
    value = false;
  else
    return false;
  return true;
}

std::optional<double> parse_number(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789+-.eE") != std::string::npos) {
    return std::nullopt;
  }
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// "unknown key" plus the closest table key when it is a plausible typo.
std::string unknown_key_message(const std::string& key, const std::vector<Key>& keys) {
  const std::size_t limit = std::min<std::size_t>(3, key.size() / 3);
  const Key* best = nullptr;
  std::size_t best_distance = limit + 1;
  for (const auto& k : keys) {
    const std::size_t distance = edit_distance(key, k.name);
    if (distance < best_distance) {
      best = &k;
      best_distance = distance;
    }
  }
  return best ? "unknown key (did you mean " + best->name + "?)" : "unknown key";
}

}  // namespace

int Field::line() const {
  if (!node.IsDefined()) return 0;
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? 0 : mark.line + 1;
}

Field Field::child(const std::string& key, const YAML::Node& value) const {
  return Field{value, path.empty() ? key : path + "." + key};
}

Field Field::item(std::size_t index, const YAML::Node& value) const {
  return Field{value, path + "[" + std::to_string(index) + "]"};
}

Field Field::at(const std::string& key) const {
  if (node.IsDefined() && node.IsMap()) {
    for (const auto& kv : node) {
      if (kv.first.IsScalar() && kv.first.Scalar() == key) return child(key, kv.second);
    }
  }
  return Field{YAML::Node(YAML::NodeType::Undefined), path.empty() ? key : path + "." + key};
}

std::size_t Walker::error_count() const { return count_errors(out_); }

std::size_t count_errors(const Diagnostics& diagnostics) {
  return std::count_if(diagnostics.begin(), diagnostics.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

std::string Walker::source(const Field& field) const {
  return file_ + ":" + std::to_string(field.line());
}

void Walker::add(Severity severity, int line, std::string path, std::string message) {
  out_.push_back(Diagnostic{severity, file_, line, std::move(path), std::move(message)});
}

void Walker::missing(const Field& parent, const std::string& key) {
  add(Severity::kError, parent.line(), parent.path.empty() ? key : parent.path + "." + key,
      "required");
}

void Walker::error(const Field& field, std::string message) {
  add(Severity::kError, field.line(), field.path, std::move(message));
}

void Walker::warning(const Field& field, std::string message) {
  add(Severity::kWarning, field.line(), field.path, std::move(message));
}

bool Walker::expect_map(const Field& field) {
  if (field.node.IsMap()) return true;
  error(field, "must be a map");
  return false;
}

bool Walker::expect_sequence(const Field& field) {
  if (field.node.IsSequence()) return true;
  error(field, "must be a list");
  return false;
}

bool Walker::read_string(const Field& field, std::string& out) {
  if (!field.present()) return true;
  if (!field.node.IsScalar()) {
    error(field, "must be a string");
    return false;
  }
  out = field.node.Scalar();
  return true;
}

bool Walker::read_bool(const Field& field, bool& out) {
  if (!field.present()) return true;
  if (!field.node.IsScalar() || !is_bool_text(field.node.Scalar(), out)) {
    error(field, "must be true or false");
    return false;
  }
  return true;
}

bool Walker::read_double(const Field& field, double& out) {
  if (!field.present()) return true;
  const auto value =
      field.node.IsScalar() ? parse_number(field.node.Scalar()) : std::optional<double>();
  if (!value) {
    error(field, "must be a number");
    return false;
  }
  out = *value;
  return true;
}

bool Walker::read_string_list(const Field& field, std::vector<std::string>& out) {
  if (!field.present()) return true;
  if (!expect_sequence(field)) return false;
  std::vector<std::string> values;
  bool ok = true;
  for (std::size_t i = 0; i < field.node.size(); ++i) {
    std::string value;
    ok = read_string(field.item(i, field.node[i]), value) && ok;
    values.push_back(std::move(value));
  }
  if (ok) out = std::move(values);
  return ok;
}

bool Walker::read_string_map(const Field& field, std::map<std::string, std::string>& out) {
  if (!field.present()) return true;
  if (!expect_map(field)) return false;
  bool ok = true;
  for (const auto& kv : field.node) {
    const std::string key = kv.first.Scalar();
    ok = read_string(field.child(key, kv.second), out[key]) && ok;
  }
  return ok;
}

bool Walker::read_int(const Field& field, std::int64_t& out, std::int64_t min, std::int64_t max) {
  if (!field.present()) return true;
  const auto value =
      field.node.IsScalar() ? parse_integer(field.node.Scalar()) : std::optional<std::int64_t>();
  if (!value) {
    error(field, "must be an integer");
    return false;
  }
  if (*value < min) {
    error(field, "must be >= " + std::to_string(min));
    return false;
  }
  if (*value > max) {
    error(field, "must be <= " + std::to_string(max));
    return false;
  }
  out = *value;
  return true;
}

bool Walker::read_int(const Field& field, int& out, std::int64_t min, std::int64_t max) {
  std::int64_t value = out;
  if (!read_int(field, value, std::max<std::int64_t>(min, INT32_MIN),
                std::min<std::int64_t>(max, INT32_MAX))) {
    return false;
  }
  out = static_cast<int>(value);
  return true;
}

bool Walker::read_int_between(const Field& field, int& out, int min, int max) {
  if (!field.present()) return true;
  const auto value =
      field.node.IsScalar() ? parse_integer(field.node.Scalar()) : std::optional<std::int64_t>();
  if (!value || *value < min || *value > max) {
    error(field, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return false;
  }
  out = static_cast<int>(*value);
  return true;
}

bool Walker::read_enum(const Field& field, std::string& out,
                       const std::vector<std::string>& allowed) {
  if (!field.present()) return true;
  std::string value;
  if (!read_string(field, value)) return false;
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
    error(field, one_of_message(allowed));
    return false;
  }
  out = value;
  return true;
}

std::optional<std::int64_t> parse_integer(const std::string& text) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || begin == end) return std::nullopt;
  return value;
}

nlohmann::json to_json(const YAML::Node& node, int depth) {
  if (depth > 200) throw std::runtime_error("nested deeper than 200 levels (a recursive alias?)");
  if (!node.IsDefined() || node.IsNull()) return nullptr;
  if (node.IsSequence()) {
    auto array = nlohmann::json::array();
    for (const auto& item : node) array.push_back(to_json(item, depth + 1));
    return array;
  }
  if (node.IsMap()) {
    auto object = nlohmann::json::object();
    for (const auto& kv : node) object[kv.first.Scalar()] = to_json(kv.second, depth + 1);
    return object;
  }
  const std::string& text = node.Scalar();
  if (!is_plain(node)) return text;
  bool flag = false;
  if (is_bool_text(text, flag)) return flag;
  if (const auto integer = parse_integer(text)) return *integer;
  if (const auto number = parse_number(text)) return *number;
  return text;
}

bool walk_map(Walker& walker, const Field& field, const std::vector<Key>& keys,
              UnknownKeys unknown) {
  if (!walker.expect_map(field)) return false;
  std::set<std::string> seen;
  for (const auto& kv : field.node) {
    const std::string name = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
    const Field key_field = field.child(name, kv.first);
    if (!seen.insert(name).second) {
      walker.error(key_field, "duplicate key");
      continue;
    }
    const auto key =
        std::find_if(keys.begin(), keys.end(), [&](const Key& k) { return k.name == name; });
    if (key == keys.end()) {
      const std::string message = unknown_key_message(name, keys);
      if (unknown == UnknownKeys::kError)
        walker.error(key_field, message);
      else
        walker.warning(key_field, message + "; ignored");
      continue;
    }
    if (key->warning != nullptr) walker.warning(key_field, key->warning);
    const Field value = field.child(name, kv.second);
    if (key->read && value.present()) key->read(value);
  }
  return true;
}

std::optional<std::vector<YAML::Node>> load_documents(Walker& walker, const std::string& text) {
  try {
    std::vector<YAML::Node> documents;
    for (auto& document : YAML::LoadAll(text)) {
      if (document.IsDefined() && !document.IsNull()) documents.push_back(document);
    }
    return documents;
  } catch (const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    walker.add(Severity::kError, line, "", "invalid YAML: " + e.msg);
  }
  return std::nullopt;
}

std::optional<std::string> read_text_file(Walker& walker) {
  std::ifstream in(walker.file(), std::ios::binary);
  if (!in) {
    walker.add(Severity::kError, 0, "", std::string("cannot read: ") + std::strerror(errno));
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string one_of_message(const std::vector<std::string>& allowed) {
  std::string message = "must be one of: ";
  for (std::size_t i = 0; i < allowed.size(); ++i) {
    message += (i == 0 ? "" : ", ") + allowed[i];
  }
  return message;
}

}  // namespace aof::config
