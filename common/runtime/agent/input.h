#pragma once
// What an agent is asked, prepared as AOF prepares it (reference/aof-formats.md §2.5):
// <@USERID> mentions removed and the text trimmed; an empty text or a bare greeting gets a
// canned answer instead of a model call (a ping to the bot should not cost tokens, nor end
// in the dead-letter queue).

#include <optional>
#include <string>
#include <string_view>

namespace aof::runtime::agent {

// The text with mentions removed and trimmed (event::clean_message_text).
std::string clean_input(std::string_view text);

// The canned answer when `cleaned` is empty or only a greeting (hi, hello, hey, hola, howdy,
// start; any case, trailing "!" or "." ignored); nullopt when the model should be asked.
std::optional<std::string> canned_reply(const std::string& cleaned, const std::string& agent);

}  // namespace aof::runtime::agent
