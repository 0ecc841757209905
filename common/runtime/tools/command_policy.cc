#include "common/runtime/tools/command_policy.h"

#include <algorithm>
#include <sstream>

namespace aof::runtime::tools {
namespace {

// AOF's default blocked commands (aof-tools shell.rs), matched as substrings.
constexpr std::string_view kBlockedPatterns[] = {"rm -rf /", "mkfs", "dd if=/dev", "nc -l"};
constexpr std::string_view kForkBomb = ":(){:|:&};:";

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// `text` with each run of blanks as one space (`squeeze`) or with none at all.
std::string without_blank_runs(std::string_view text, bool squeeze) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!is_blank(text[i])) {
      out += text[i];
    } else if (squeeze && (i == 0 || !is_blank(text[i - 1]))) {
      out += ' ';
    }
  }
  return out;
}

std::vector<std::string> split_blanks(const std::string& entry) {
  std::istringstream in(entry);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

bool starts_with_words(const std::vector<std::string>& words,
                       const std::vector<std::string>& prefix) {
  return words.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), words.begin());
}

}  // namespace

CommandAllowList::CommandAllowList(const std::vector<std::string>& entries) {
  std::vector<std::vector<std::string>> parsed;
  for (const auto& entry : entries) {
    auto words = split_blanks(entry);
    if (words.size() == 1 && words[0] == "*") return;  // everything
    if (!words.empty()) parsed.push_back(std::move(words));
  }
  if (!parsed.empty()) entries_ = std::move(parsed);
}

bool CommandAllowList::allows(const std::vector<std::string>& words) const {
  if (!entries_) return true;
  return std::any_of(entries_->begin(), entries_->end(),
                     [&](const auto& entry) { return starts_with_words(words, entry); });
}

std::string CommandAllowList::describe() const {
  if (!entries_) return "*";
  std::string text;
  for (const auto& entry : *entries_) {
    if (!text.empty()) text += ", ";
    for (std::size_t i = 0; i < entry.size(); ++i) text += (i ? " " : "") + entry[i];
  }
  return text;
}

std::string blocked_pattern_in(std::string_view command) {
  const std::string squeezed = without_blank_runs(command, true);
  for (const auto pattern : kBlockedPatterns) {
    if (squeezed.find(pattern) != std::string::npos) return std::string(pattern);
  }
  if (without_blank_runs(command, false).find(kForkBomb) != std::string::npos) {
    return std::string(kForkBomb);
  }
  return "";
}

}  // namespace aof::runtime::tools
