// The one-pass scan behind extract_json_paths. It mirrors nlohmann's lexer (3.11) rule for
// rule, so that a body this scan accepts is exactly a body parse_json_object accepts; the unit
// tests compare both on valid and invalid documents.
#include "common/ingest/json_paths.h"

#include "common/base/text_scan.h"

#include <array>
#include <cmath>
#include <cstdlib>

namespace aof::ingest {
namespace {

using Kind = JsonScalar::Kind;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Digits of a JSON integer (no sign) as uint64; false when it does not fit.
bool digits_to_u64(std::string_view digits, std::uint64_t& out) {
  std::uint64_t value = 0;
  for (const char c : digits) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - d) / 10) return false;
    value = value * 10 + d;
  }
  out = value;
  return true;
}

Error invalid_json() { return Error(ErrorCode::kInvalidArgument, "body is not valid JSON"); }

}  // namespace

// The scan itself: recursive descent, depth bounded by max_depth. Node -1 = not tracked
// (the value is validated and skipped).
class JsonPathWalk {
 public:
  JsonPathWalk(std::string_view text, const JsonPaths& paths, std::size_t max_depth,
               std::vector<JsonScalar>& out)
      : text_(text), paths_(paths), max_depth_(max_depth), out_(out) {}

  bool document() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // nlohmann skips a UTF-8 BOM
    skip_whitespace();
    if (!value(0, 0)) return false;
    skip_whitespace();
    // nlohmann's lexer takes a NUL byte for the end of input: anything after it is ignored.
    return at_end() || peek() == '\0';
  }
  Kind top_level() const { return top_level_; }
  bool too_deep() const { return too_deep_; }

  // Walks a parsed tree along the same paths.
  static void tree(const nlohmann::json& value, const JsonPaths& paths, int node,
                   std::vector<JsonScalar>& out) {
    const JsonPaths::Node& n = paths.nodes_[static_cast<std::size_t>(node)];
    if (n.value >= 0) out[static_cast<std::size_t>(n.value)] = scalar_of(value);
    if (!value.is_object()) return;
    for (const int child : n.children) {
      const auto it = value.find(paths.nodes_[static_cast<std::size_t>(child)].key);
      if (it != value.end()) tree(*it, paths, child, out);
    }
  }

 private:
  static JsonScalar scalar_of(const nlohmann::json& v) {
    JsonScalar s;
    if (v.is_null()) s.kind = Kind::kNull;
    if (v.is_boolean()) s = {Kind::kBool, "", v.get<bool>()};
    if (v.is_string()) s = {Kind::kString, v.get<std::string>()};
    if (v.is_array()) s = {Kind::kArray, "", false, JsonScalar::Number::kFloat, 0, v.size()};
    if (v.is_object()) s.kind = Kind::kObject;
    if (v.is_number()) {
      s.kind = Kind::kNumber;
      if (v.is_number_unsigned()) {
        s.number = JsonScalar::Number::kUnsigned;
        s.bits = v.get<std::uint64_t>();
      } else if (v.is_number_integer()) {
        s.number = JsonScalar::Number::kInteger;
        s.bits = static_cast<std::uint64_t>(v.get<std::int64_t>());
      }
    }
    return s;
  }

  JsonScalar* slot(int node) {
    if (node < 0) return nullptr;
    const int value = paths_.nodes_[static_cast<std::size_t>(node)].value;
    return value < 0 ? nullptr : &out_[static_cast<std::size_t>(value)];
  }

  bool at_end() const { return pos_ >= text_.size(); }
  bool close() {  // consumes the closing '}', ']' or '"'
    ++pos_;
    return true;
  }
  char peek() const { return text_[pos_]; }

  void skip_whitespace() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) {
      ++pos_;
    }
  }

  bool value(int node, std::size_t depth) {
    if (at_end()) return false;
    JsonScalar* out = slot(node);
    const char c = peek();
    if (depth == 0) top_level_ = c == '{' ? Kind::kObject : Kind::kNull;
    if (c == '{' || c == '[') {
      if (depth + 1 > max_depth_) return !(too_deep_ = true);
      if (out != nullptr) out->kind = c == '{' ? Kind::kObject : Kind::kArray;
      return c == '{' ? object(node, depth + 1) : array(out, depth + 1);
    }
    if (c == '"') {
      if (out != nullptr) out->kind = Kind::kString;
      return string(out != nullptr ? &out->text : nullptr);
    }
    if (c == '-' || is_digit(c)) return number(out);
    if (c == 't') return literal("true", out, Kind::kBool, true);
    if (c == 'f') return literal("false", out, Kind::kBool, false);
    if (c == 'n') return literal("null", out, Kind::kNull, false);
    return false;
  }

  bool literal(std::string_view word, JsonScalar* out, Kind kind, bool boolean) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    if (out != nullptr) {
      out->kind = kind;
      out->boolean = boolean;
    }
    return true;
  }

  bool object(int node, std::size_t depth) {
    ++pos_;  // '{'
    skip_whitespace();
    if (!at_end() && peek() == '}') return close();
    std::string decoded;
    while (true) {
      skip_whitespace();
      if (at_end() || peek() != '"') return false;
      const int child = member_key(node, decoded);
      if (child == -2) return false;
      skip_whitespace();
      if (at_end() || peek() != ':') return false;
      ++pos_;
      skip_whitespace();
      if (!value(child, depth)) return false;
      skip_whitespace();
      if (at_end()) return false;
      if (peek() == '}') return close();
      if (peek() != ',') return false;
      ++pos_;
    }
  }

  // Reads a key; returns its tracked child node (its old values cleared: the last key
  // wins), -1 when not tracked, -2 on a syntax error.
  int member_key(int node, std::string& decoded) {
    decoded.clear();
    if (!string(node >= 0 ? &decoded : nullptr)) return -2;
    if (node < 0) return -1;
    const int child = paths_.child(node, decoded);
    if (child >= 0) {
      for (const int v : paths_.nodes_[static_cast<std::size_t>(child)].subtree) {
        out_[static_cast<std::size_t>(v)] = JsonScalar{};
      }
    }
    return child;
  }

  bool array(JsonScalar* out, std::size_t depth) {
    ++pos_;  // '['
    skip_whitespace();
    if (!at_end() && peek() == ']') return close();
    std::size_t count = 0;
    while (true) {
      skip_whitespace();
      if (!value(-1, depth)) return false;
      ++count;
      skip_whitespace();
      if (at_end()) return false;
      if (peek() == ']') break;
      if (peek() != ',') return false;
      ++pos_;
    }
    ++pos_;
    if (out != nullptr) out->size = count;
    return true;
  }

  // A string at pos_ ('"'); its decoded value is appended to `out` when given.
  bool string(std::string* out) {
    ++pos_;
    while (true) {
      const std::size_t run = pos_;
      pos_ = text_scan::json_plain_end(text_, pos_, /*stop_at_non_ascii=*/true);
      if (out != nullptr) out->append(text_.data() + run, pos_ - run);
      if (at_end()) return false;
      const auto c = static_cast<unsigned char>(peek());
      if (c == '"') return close();
      if (c < 0x20) return false;  // control characters must be escaped
      if (c == '\\') {
        if (!escape(out)) return false;
      } else if (!utf8_sequence(out)) {
        return false;
      }
    }
  }

  // One well-formed UTF-8 sequence (no overlongs, no surrogates, <= U+10FFFF).
  bool utf8_sequence(std::string* out) {
    const std::size_t length = text_scan::utf8_sequence_length(text_, pos_);
    if (length < 2) return false;  // only called on a byte >= 0x80
    if (out != nullptr) out->append(text_.data() + pos_, length);
    pos_ += length;
    return true;
  }

  bool escape(std::string* out) {
    if (pos_ + 1 >= text_.size()) return false;
    const char e = text_[pos_ + 1];
    pos_ += 2;
    char plain = 0;
    switch (e) {
      case '"':
        plain = '"';
        break;
      case '\\':
        plain = '\\';
        break;
      case '/':
        plain = '/';
        break;
      case 'b':
        plain = '\b';
        break;
      case 'f':
        plain = '\f';
        break;
      case 'n':
        plain = '\n';
        break;
      case 'r':
        plain = '\r';
        break;
      case 't':
        plain = '\t';
        break;
      case 'u':
        return unicode_escape(out);
      default:
        return false;
    }
    if (out != nullptr) *out += plain;
    return true;
  }

  // After "\u": four hex digits, a high surrogate only with a "\u" low surrogate after it.
  bool unicode_escape(std::string* out) {
    std::uint32_t cp = 0;
    if (!hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (text_.substr(pos_, 2) != "\\u") return false;
      pos_ += 2;
      std::uint32_t low = 0;
      if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    if (out != nullptr) append_utf8(*out, cp);
    return true;
  }

  bool hex4(std::uint32_t& cp) {
    if (pos_ + 4 > text_.size()) return false;
    for (int i = 0; i < 4; ++i) {
      const int h = hex_value(text_[pos_++]);
      if (h < 0) return false;
      cp = (cp << 4) | static_cast<std::uint32_t>(h);
    }
    return true;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, typed as nlohmann types it.
  bool number(JsonScalar* out) {
    const std::size_t start = pos_;
    const bool negative = peek() == '-';
    if (negative) ++pos_;
    if (at_end() || !is_digit(peek())) return false;
    if (peek() == '0') {
      ++pos_;
    } else {
      skip_digits();
    }
    const std::size_t int_end = pos_;
    bool integer = true;
    if (!at_end() && peek() == '.') {
      ++pos_;
      if (at_end() || !is_digit(peek())) return false;
      skip_digits();
      integer = false;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      if (at_end() || !is_digit(peek())) return false;
      skip_digits();
      integer = false;
    }
    JsonScalar scratch;
    JsonScalar& s = out != nullptr ? *out : scratch;
    s.kind = Kind::kNumber;
    const std::string_view digits =
        text_.substr(start + (negative ? 1 : 0), int_end - start - (negative ? 1 : 0));
    std::uint64_t magnitude = 0;
    if (integer && digits_to_u64(digits, magnitude)) {
      if (!negative) {
        s.number = JsonScalar::Number::kUnsigned;
        s.bits = magnitude;
        return true;
      }
      if (magnitude <= (std::uint64_t{1} << 63)) {
        s.number = JsonScalar::Number::kInteger;
        s.bits = 0 - magnitude;  // the int64's two's complement bits
        return true;
      }
    }
    // A fraction, an exponent or an integer beyond 64 bits: a double, which must be finite.
    s.number = JsonScalar::Number::kFloat;
    const std::string literal(text_.substr(start, pos_ - start));
    return std::isfinite(std::strtod(literal.c_str(), nullptr));
  }

  void skip_digits() {
    while (!at_end() && is_digit(peek())) ++pos_;
  }

  std::string_view text_;
  const JsonPaths& paths_;
  std::size_t max_depth_;
  std::vector<JsonScalar>& out_;
  std::size_t pos_ = 0;
  Kind top_level_ = Kind::kAbsent;
  bool too_deep_ = false;
};

JsonPaths::JsonPaths(const std::vector<std::string_view>& dotted) : count_(dotted.size()) {
  nodes_.emplace_back();
  for (std::size_t i = 0; i < dotted.size(); ++i) {
    int node = 0;
    std::string_view rest = dotted[i];
    while (true) {
      const std::size_t dot = rest.find('.');
      const std::string_view key = rest.substr(0, dot);
      int next = child(node, key);
      if (next < 0) {
        next = static_cast<int>(nodes_.size());
        nodes_.push_back(Node{std::string(key), -1, {}, {}});
        nodes_[static_cast<std::size_t>(node)].children.push_back(next);
      }
      node = next;
      nodes_[static_cast<std::size_t>(node)].subtree.push_back(static_cast<int>(i));
      if (dot == std::string_view::npos) break;
      rest = rest.substr(dot + 1);
    }
    nodes_[static_cast<std::size_t>(node)].value = static_cast<int>(i);
  }
}

int JsonPaths::child(int node, std::string_view key) const {
  for (const int c : nodes_[static_cast<std::size_t>(node)].children) {
    if (nodes_[static_cast<std::size_t>(c)].key == key) return c;
  }
  return -1;
}

Result<std::vector<JsonScalar>> extract_json_paths(std::string_view text, const JsonPaths& paths,
                                                   std::size_t max_depth) {
  std::vector<JsonScalar> out(paths.size());
  JsonPathWalk walk(text, paths, max_depth, out);
  if (!walk.document()) {
    // Worded as parse_json_object words it, which checks the depth before the syntax.
    if (walk.too_deep() || json_nesting_depth(text, max_depth) > max_depth) {
      return Error(ErrorCode::kInvalidArgument,
                   "JSON nesting exceeds " + std::to_string(max_depth) + " levels");
    }
    return invalid_json();
  }
  if (walk.top_level() != Kind::kObject) {
    return Error(ErrorCode::kInvalidArgument, "body is not a JSON object");
  }
  return out;
}

std::vector<JsonScalar> extract_json_tree_paths(const nlohmann::json& document,
                                                const JsonPaths& paths) {
  std::vector<JsonScalar> out(paths.size());
  JsonPathWalk::tree(document, paths, 0, out);
  return out;
}

}  // namespace aof::ingest
