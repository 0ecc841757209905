#include "common/runtime/flow/stdout_parse.h"

#include <cctype>
#include <optional>
#include <regex>
#include <string_view>
#include <utility>
#include <vector>

namespace aof::runtime::flow {
namespace {

using Json = nlohmann::json;
using GroupNames = std::vector<std::pair<std::string, std::size_t>>;  // name → group number

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

// Whether `text` nests arrays/objects at most `max` deep; checked before parsing so a hostile
// `[[[[...` cannot exhaust the stack in the recursive parts of nlohmann::json (dump).
bool nesting_within(std::string_view text, int max) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (escaped) {
      escaped = false;
    } else if (in_string) {
      escaped = c == '\\';
      in_string = c != '"';
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

Result<Json> parse_json(const std::string& text) {
  if (!nesting_within(text, kMaxJsonDepth)) {
    return Error(ErrorCode::kInternal,
                 "stdout nests JSON deeper than " + std::to_string(kMaxJsonDepth));
  }
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Error(ErrorCode::kInternal, "stdout is not valid JSON");
  return parsed;
}

// Calls `visit(line)` for each line without its terminator; no call for the empty piece after
// a final "\n".
template <typename Visit>
void for_each_line(std::string_view text, Visit visit) {
  while (!text.empty()) {
    const auto newline = text.find('\n');
    auto line = text.substr(0, newline);
    if (line.ends_with('\r')) line.remove_suffix(1);
    visit(line);
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
}

Json split_lines(const std::string& text) {
  Json lines = Json::array();
  for_each_line(text, [&](std::string_view line) {
    if (!trim(line).empty()) lines.push_back(std::string(line));
  });
  return lines;
}

bool valid_group_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

// Length of the `(?<` / `(?P<` opener of a named group at the start of `rest`, or 0.
std::size_t named_group_opener(std::string_view rest) {
  if (rest.starts_with("(?P<")) return 4;
  if (rest.starts_with("(?<") && rest.size() > 3 && rest[3] != '=' && rest[3] != '!') return 3;
  return 0;
}

// std::regex has no named groups: rewrites each `(?<name>` to `(` and records its number.
Result<std::string> strip_group_names(std::string_view pattern, GroupNames* names) {
  std::string out;
  std::size_t group = 0;
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out += pattern.substr(i++, 2);
      continue;
    }
    if (in_class || c != '(') {
      in_class = (in_class && c != ']') || (!in_class && c == '[');
      out += c;
      continue;
    }
    const auto rest = pattern.substr(i);
    const std::size_t opener = named_group_opener(rest);
    if (opener == 0) {
      if (!rest.starts_with("(?")) ++group;
      out += c;
      continue;
    }
    const auto close = rest.find('>', opener);
    const auto name = rest.substr(opener, close == std::string_view::npos ? 0 : close - opener);
    if (!valid_group_name(name)) {
      return Error(ErrorCode::kInvalidArgument, "bad group name at offset " + std::to_string(i));
    }
    names->emplace_back(std::string(name), ++group);
    out += '(';
    i += close;
  }
  return out;
}

Json match_object(const std::cmatch& match, const GroupNames& names) {
  Json object = Json::object();
  for (std::size_t i = 0; i < match.size(); ++i) {
    if (match[i].matched) object["$" + std::to_string(i)] = match[i].str();
  }
  for (const auto& [name, number] : names) {
    if (number < match.size() && match[number].matched) object[name] = match[number].str();
  }
  return object;
}

Result<Json> match_lines(const std::regex& re, const GroupNames& names, const std::string& text) {
  Json matches = Json::array();
  std::size_t line_number = 0;
  std::optional<Error> error;
  for_each_line(text, [&](std::string_view line) {
    ++line_number;
    if (error) return;
    if (line.size() > kMaxRegexLineBytes) {
      error = Error(ErrorCode::kInvalidArgument,
                    "parse regex: stdout line " + std::to_string(line_number) + " is " +
                        std::to_string(line.size()) + " bytes; lines are limited to " +
                        std::to_string(kMaxRegexLineBytes));
      return;
    }
    const std::cregex_iterator end;
    for (std::cregex_iterator it(line.data(), line.data() + line.size(), re); it != end; ++it) {
      matches.push_back(match_object(*it, names));
    }
  });
  if (error) return *error;
  return matches;
}

Result<Json> parse_regex(const std::string& pattern, const std::string& text) {
  if (pattern.empty()) return Error(ErrorCode::kInvalidArgument, "parse regex needs a pattern");
  GroupNames names;
  auto plain = strip_group_names(pattern, &names);
  if (!plain.ok()) return plain.error().with_context("pattern \"" + pattern + "\"");
  try {
    const std::regex re(*plain, std::regex::ECMAScript);
    return match_lines(re, names, text);
  } catch (const std::regex_error& e) {
    return Error(ErrorCode::kInvalidArgument,
                 "pattern \"" + pattern + "\": " + std::string(e.what()));
  }
}

}  // namespace

Result<Json> parse_stdout(const std::string& mode, const std::string& pattern,
                          const std::string& text) {
  if (mode.empty() || mode == "text") return Json(trim(text));
  if (mode == "json") return parse_json(text);
  if (mode == "lines") return split_lines(text);
  if (mode == "regex") return parse_regex(pattern, text);
  return Error(ErrorCode::kInvalidArgument,
               "parse \"" + mode + "\": expected text, json, lines or regex");
}

}  // namespace aof::runtime::flow
