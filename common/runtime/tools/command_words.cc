#include "common/runtime/tools/command_words.h"

#include <optional>

namespace aof::runtime::tools {
namespace {

constexpr std::string_view kOperators = ";&|<>()\n";

std::string shown(char c) { return c == '\n' ? "a newline" : std::string("'") + c + "'"; }

Error error_at(std::size_t index, const std::string& what) {
  return Error(ErrorCode::kInvalidArgument, what + " at position " + std::to_string(index + 1));
}

Error refused_at(std::size_t index, char c) {
  return Error(ErrorCode::kInvalidArgument,
               "shell syntax " + shown(c) + " at position " + std::to_string(index + 1) +
                   " is not allowed (pipes, command lists, redirections, $ expansions, command "
                   "substitution, subshells and comments are refused); quote it if it is "
                   "meant literally");
}

// One pass over the line; each method consumes what starts at pos_ and returns an error when
// the line is refused.
class Splitter {
 public:
  explicit Splitter(std::string_view line) : line_(line) {}

  Result<std::vector<std::string>> run() {
    while (pos_ < line_.size()) {
      if (auto error = step()) return *error;
    }
    end_word();
    return std::move(words_);
  }

 private:
  std::optional<Error> step() {
    const char c = line_[pos_];
    if (c == ' ' || c == '\t') {
      end_word();
      ++pos_;
      return std::nullopt;
    }
    if (c == '\'') return single_quoted();
    if (c == '"') return double_quoted();
    if (c == '\\') return escaped();
    if (c == '\0') return error_at(pos_, "a NUL byte");
    if (kOperators.find(c) != std::string_view::npos || c == '$' || c == '`' ||
        (c == '#' && !in_word_)) {
      return refused_at(pos_, c);
    }
    append(c);
    ++pos_;
    return std::nullopt;
  }

  std::optional<Error> single_quoted() {
    const std::size_t close = line_.find('\'', pos_ + 1);
    if (close == std::string_view::npos) return error_at(pos_, "unterminated single quote");
    in_word_ = true;
    current_.append(line_.substr(pos_ + 1, close - pos_ - 1));
    pos_ = close + 1;
    return std::nullopt;
  }

  std::optional<Error> double_quoted() {
    const std::size_t open = pos_++;
    in_word_ = true;
    while (pos_ < line_.size() && line_[pos_] != '"') {
      const char c = line_[pos_];
      if (c == '$' || c == '`') return refused_at(pos_, c);
      if (c == '\0') return error_at(pos_, "a NUL byte");
      if (c == '\\' && pos_ + 1 < line_.size() &&
          std::string_view("$`\"\\\n").find(line_[pos_ + 1]) != std::string_view::npos) {
        if (line_[pos_ + 1] != '\n') current_ += line_[pos_ + 1];
        pos_ += 2;
        continue;
      }
      current_ += c;
      ++pos_;
    }
    if (pos_ == line_.size()) return error_at(open, "unterminated double quote");
    ++pos_;
    return std::nullopt;
  }

  std::optional<Error> escaped() {
    if (pos_ + 1 == line_.size()) return error_at(pos_, "a trailing backslash");
    const char next = line_[pos_ + 1];
    if (next == '\0') return error_at(pos_ + 1, "a NUL byte");
    if (next != '\n') append(next);  // backslash-newline joins lines, as in sh
    pos_ += 2;
    return std::nullopt;
  }

  void append(char c) {
    in_word_ = true;
    current_ += c;
  }

  void end_word() {
    if (in_word_) words_.push_back(std::move(current_));
    current_.clear();
    in_word_ = false;
  }

  std::string_view line_;
  std::size_t pos_ = 0;
  std::vector<std::string> words_;
  std::string current_;
  bool in_word_ = false;  // "" is a word, so emptiness of current_ cannot tell
};

bool needs_quotes(const std::string& word) {
  if (word.empty()) return true;
  return word.find_first_of(" \t\n'\"\\;&|<>()$`#*?[~") != std::string::npos;
}

}  // namespace

Result<std::vector<std::string>> split_command_words(std::string_view line) {
  return Splitter(line).run();
}

std::string join_command_words(const std::vector<std::string>& words) {
  std::string line;
  for (const auto& word : words) {
    if (!line.empty()) line += ' ';
    if (!needs_quotes(word)) {
      line += word;
      continue;
    }
    line += '\'';
    for (const char c : word) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += '\'';
  }
  return line;
}

}  // namespace aof::runtime::tools
