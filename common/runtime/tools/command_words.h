#pragma once
// A command line as words, split and unquoted the way POSIX sh does it, without a shell:
// '...' is literal; "..." is literal except for \" \\ \$ \` and backslash-newline; outside
// quotes a backslash makes the next character literal and blanks separate words. Two users:
// the CLI wrappers run the words as argv (no shell), and the shell tool's allow-list checks
// the words sh will see.
//
// Shell syntax that would run, redirect or expand something is refused, not passed on: the
// wrappers have no shell to give it meaning, and an allow-list must see exactly one simple
// command. Refused outside quotes: ; & | < > ( ) newline, and # starting a word (a comment
// would hide the rest from sh but not from this check); outside single quotes: $ and `
// (expansions, command substitution). Inside quotes the operators are ordinary characters,
// so `-l 'app in (a,b)'` and `--jsonpath '{.items[*].metadata.name}'` pass. Globs (* ? [)
// and ~ are left as they are: sh expands them within the working directory, the wrappers
// pass them literally.

#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.h"

namespace aof::runtime::tools {

// Errors (kInvalidArgument): an unterminated quote, a trailing backslash, a NUL byte, a
// refused character, each with its 1-based position.
Result<std::vector<std::string>> split_command_words(std::string_view line);

// The words back as one line, each quoted only when it needs it (for messages and logs):
// {"get", "pods", "a b"} → get pods 'a b'.
std::string join_command_words(const std::vector<std::string>& words);

}  // namespace aof::runtime::tools
