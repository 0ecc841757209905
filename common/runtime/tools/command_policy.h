#pragma once
// What the shell tool and the CLI wrappers may run.
//
// The allow-list comes from the agent's tools entries (`allowed_commands`, reference §1.1,
// §4.4). Each entry is a program or a command prefix: "kubectl", "kubectl get pods". A
// command is allowed when its words (command_words.h) begin with all the words of one entry,
// compared word by word, exactly: "kubectl get pods" allows `kubectl get pods -n web` but not
// `kubectl get podtemplates`, `kubectl -n web get pods` nor `/usr/bin/kubectl get pods`.
// "*" or no list at all allows everything; so does an empty list, as in AOF. AOF parses
// allowed_commands but never enforces it; the examples' multi-word entries show what users
// mean. A listed program that runs other programs (sh, env, xargs, find -exec, kubectl exec)
// opens everything it can run: the list cannot see through it.
//
// The blocked patterns are AOF's (rm -rf /, mkfs, dd if=/dev, the fork bomb, nc -l), for the
// shell tool: a tripwire against accidents, as in AOF, not a boundary (`rm -r -f /` passes).
// The allow-list is the boundary.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aof::runtime::tools {

class CommandAllowList {
 public:
  // Allows everything.
  CommandAllowList() = default;
  // From allowed_commands entries; each is split on blanks.
  explicit CommandAllowList(const std::vector<std::string>& entries);

  bool allows_everything() const { return !entries_.has_value(); }
  bool allows(const std::vector<std::string>& words) const;
  // The entries as configured, for refusals: "kubectl get pods, helm".
  std::string describe() const;

 private:
  std::optional<std::vector<std::vector<std::string>>> entries_;  // nullopt: everything
};

// The first blocked pattern `command` contains, or "" when none. Blanks are compared as one
// space (so `rm  -rf  /` is caught too), the fork bomb with no blanks at all.
std::string blocked_pattern_in(std::string_view command);

}  // namespace aof::runtime::tools
