#include "common/runtime/flow/condition.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

namespace aof::runtime::flow {
namespace {

enum class TokenKind { kOperand, kLParen, kRParen, kNot, kAnd, kOr, kCompare, kEnd };
enum class CompareOp { kEq, kNe, kLt, kGt, kLe, kGe };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string_view text;  // operand text (inside the quotes when quoted)
  bool quoted = false;
  CompareOp op = CompareOp::kEq;
  std::size_t offset = 0;
};

struct Symbol {
  std::string_view text;
  TokenKind kind;
  CompareOp op;
};

// Longest first, so "<=" wins over "<".
constexpr Symbol kSymbols[] = {
    {"&&", TokenKind::kAnd, CompareOp::kEq},     {"||", TokenKind::kOr, CompareOp::kEq},
    {"==", TokenKind::kCompare, CompareOp::kEq}, {"!=", TokenKind::kCompare, CompareOp::kNe},
    {"<=", TokenKind::kCompare, CompareOp::kLe}, {">=", TokenKind::kCompare, CompareOp::kGe},
    {"<", TokenKind::kCompare, CompareOp::kLt},  {">", TokenKind::kCompare, CompareOp::kGt},
    {"(", TokenKind::kLParen, CompareOp::kEq},   {")", TokenKind::kRParen, CompareOp::kEq},
    {"!", TokenKind::kNot, CompareOp::kEq},
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

const Symbol* symbol_at(std::string_view rest) {
  for (const auto& symbol : kSymbols) {
    if (rest.starts_with(symbol.text)) return &symbol;
  }
  return nullptr;
}

// Where bare operand text starting at `pos` ends: at an operator or parenthesis; `${...}` is
// skipped whole, and a `!` not followed by `=` is ordinary text ("done!").
std::size_t bare_end(std::string_view text, std::size_t pos) {
  while (pos < text.size()) {
    const auto rest = text.substr(pos);
    if (rest.starts_with("${")) {
      const auto close = rest.find('}');
      if (close == std::string_view::npos) return text.size();
      pos += close + 1;
      continue;
    }
    const auto* symbol = symbol_at(rest);
    if (symbol != nullptr && symbol->kind != TokenKind::kNot) return pos;
    ++pos;
  }
  return pos;
}

// Splits `text` into tokens; nullopt (and `error`) on an unterminated quote.
std::optional<std::vector<Token>> tokenize(std::string_view text, std::string* error) {
  std::vector<Token> tokens;
  std::size_t pos = 0;
  while (true) {
    while (pos < text.size() && is_space(text[pos])) ++pos;
    if (pos == text.size()) break;
    Token token;
    token.offset = pos;
    const char c = text[pos];
    if (const auto* symbol = symbol_at(text.substr(pos))) {
      token.kind = symbol->kind;
      token.op = symbol->op;
      pos += symbol->text.size();
    } else if (c == '"' || c == '\'') {
      const auto close = text.find(c, pos + 1);
      if (close == std::string_view::npos) {
        *error = "unterminated quote at offset " + std::to_string(pos);
        return std::nullopt;
      }
      token.kind = TokenKind::kOperand;
      token.text = text.substr(pos + 1, close - pos - 1);
      token.quoted = true;
      pos = close + 1;
    } else {
      const auto end = bare_end(text, pos);
      token.kind = TokenKind::kOperand;
      token.text = text.substr(pos, end - pos);
      pos = end;
    }
    tokens.push_back(token);
  }
  Token end;
  end.offset = text.size();
  tokens.push_back(end);
  return tokens;
}

std::string trim_operand(std::string value) {
  const auto strip = [&](auto predicate) {
    std::size_t begin = 0, end = value.size();
    while (begin < end && predicate(value[begin])) ++begin;
    while (end > begin && predicate(value[end - 1])) --end;
    value = value.substr(begin, end - begin);
  };
  strip(is_space);
  strip([](char c) { return c == '"' || c == '\''; });
  return value;
}

std::optional<double> as_number(const std::string& text) {
  double number = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, number);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(number)) {
    return std::nullopt;
  }
  return number;
}

const char* op_text(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "==";
    case CompareOp::kNe:
      return "!=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGe:
      return ">=";
  }
  return "?";
}

bool compare_numbers(double a, CompareOp op, double b) {
  switch (op) {
    case CompareOp::kEq:
      return a == b;
    case CompareOp::kNe:
      return a != b;
    case CompareOp::kLt:
      return a < b;
    case CompareOp::kGt:
      return a > b;
    case CompareOp::kLe:
      return a <= b;
    case CompareOp::kGe:
      return a >= b;
  }
  return false;
}

// Recursive descent that evaluates as it parses. Every operand is expanded (no short
// circuit) so a syntax error anywhere is found; expansion has no side effects.
class Evaluator {
 public:
  Evaluator(std::vector<Token> tokens, const OperandExpander& expand)
      : tokens_(std::move(tokens)), expand_(expand) {}

  Result<ConditionValue> run() {
    const bool value = or_expr(0);
    if (syntax_error_.empty() && peek().kind != TokenKind::kEnd) {
      fail("unexpected text at offset " + std::to_string(peek().offset));
    }
    if (expand_error_) return *expand_error_;
    if (!syntax_error_.empty()) return ConditionValue{false, "unparseable: " + syntax_error_};
    return ConditionValue{value, note_};
  }

 private:
  const Token& peek() const { return tokens_[next_]; }
  const Token& take() { return tokens_[next_ < tokens_.size() - 1 ? next_++ : next_]; }

  bool fail(std::string why) {
    if (syntax_error_.empty()) syntax_error_ = std::move(why);
    return false;
  }

  bool or_expr(int depth) {
    bool value = and_expr(depth);
    while (peek().kind == TokenKind::kOr) {
      take();
      value = and_expr(depth) || value;
    }
    return value;
  }

  bool and_expr(int depth) {
    bool value = unary(depth);
    while (peek().kind == TokenKind::kAnd) {
      take();
      value = unary(depth) && value;
    }
    return value;
  }

  bool unary(int depth) {
    if (depth >= kMaxConditionDepth)
      return fail("nested deeper than " + std::to_string(kMaxConditionDepth));
    if (peek().kind == TokenKind::kNot) {
      take();
      return !unary(depth + 1);
    }
    if (peek().kind != TokenKind::kLParen) return compare();
    take();
    const bool value = or_expr(depth + 1);
    if (take().kind != TokenKind::kRParen) return fail("missing ')'");
    return value;
  }

  bool compare() {
    const auto left = operand();
    if (!left) return false;
    if (peek().kind != TokenKind::kCompare) return lone(*left);
    const CompareOp op = take().op;
    const auto right = operand();
    if (!right) return false;
    const auto a = as_number(*left), b = as_number(*right);
    if (a && b) return compare_numbers(*a, op, *b);
    if (op == CompareOp::kEq) return *left == *right;
    if (op == CompareOp::kNe) return *left != *right;
    note("'" + *left + "' " + op_text(op) + " '" + *right + "': not numbers");
    return false;
  }

  bool lone(const std::string& value) {
    if (value == "true") return true;
    if (value != "false") note("'" + value + "' is neither true nor false");
    return false;
  }

  std::optional<std::string> operand() {
    const Token& token = take();
    if (token.kind != TokenKind::kOperand) {
      fail("expected a value at offset " + std::to_string(token.offset));
      return std::nullopt;
    }
    auto expanded = expand_(token.text);
    if (!expanded.ok()) {
      if (!expand_error_) expand_error_ = expanded.error();
      return std::nullopt;
    }
    return token.quoted ? std::move(*expanded) : trim_operand(std::move(*expanded));
  }

  void note(std::string why) {
    if (note_.empty()) note_ = std::move(why);
  }

  std::vector<Token> tokens_;
  std::size_t next_ = 0;
  const OperandExpander& expand_;
  std::string syntax_error_;
  std::string note_;
  std::optional<Error> expand_error_;
};

}  // namespace

Result<ConditionValue> evaluate_condition(std::string_view text, const OperandExpander& expand) {
  std::string error;
  auto tokens = tokenize(text, &error);
  if (!tokens) return ConditionValue{false, "unparseable: " + error};
  return Evaluator(std::move(*tokens), expand).run();
}

}  // namespace aof::runtime::flow
