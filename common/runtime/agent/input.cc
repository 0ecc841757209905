#include "common/runtime/agent/input.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/event/envelope.h"

namespace aof::runtime::agent {

std::string clean_input(std::string_view text) { return event::clean_message_text(text); }

std::optional<std::string> canned_reply(const std::string& cleaned, const std::string& agent) {
  static constexpr std::array<std::string_view, 6> kGreetings = {"hi",   "hello", "hey",
                                                                 "hola", "howdy", "start"};
  std::string word = cleaned;
  while (!word.empty() && (word.back() == '!' || word.back() == '.')) word.pop_back();
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool greeting =
      word.empty() || std::find(kGreetings.begin(), kGreetings.end(), word) != kGreetings.end();
  if (!greeting) return std::nullopt;
  return "Hello! I am the " + agent + " agent. Tell me what you need and I will work on it.";
}

}  // namespace aof::runtime::agent
