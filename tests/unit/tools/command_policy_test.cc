// The allow-list's word-prefix rule and AOF's blocked patterns.
#include <doctest/doctest.h>

#include "common/runtime/tools/command_policy.h"

namespace aof::runtime::tools {
namespace {

using Words = std::vector<std::string>;

TEST_CASE("an entry allows the commands that start with all its words") {
  const CommandAllowList allowed({"kubectl get pods", "helm", "git  log "});
  CHECK_FALSE(allowed.allows_everything());
  CHECK(allowed.allows({"kubectl", "get", "pods"}));
  CHECK(allowed.allows({"kubectl", "get", "pods", "-n", "web"}));
  CHECK(allowed.allows({"helm", "uninstall", "web"}));
  CHECK(allowed.allows({"git", "log", "--oneline"}));
  CHECK_FALSE(allowed.allows({"kubectl", "get", "podtemplates"}));
  CHECK_FALSE(allowed.allows({"kubectl", "-n", "web", "get", "pods"}));
  CHECK_FALSE(allowed.allows({"kubectl", "delete", "pods"}));
  CHECK_FALSE(allowed.allows({"kubectl", "get"}));
  CHECK_FALSE(allowed.allows({"/usr/bin/helm", "list"}));
  CHECK_FALSE(allowed.allows({"helmfile"}));
  CHECK_FALSE(allowed.allows({}));
  CHECK(allowed.describe() == "kubectl get pods, helm, git log");
}

TEST_CASE("no list, an empty list or a * entry allows everything, as in AOF") {
  for (const auto& allowed :
       {CommandAllowList(), CommandAllowList(Words{}), CommandAllowList({"kubectl", "*"})}) {
    CHECK(allowed.allows_everything());
    CHECK(allowed.allows({"rm", "x"}));
    CHECK(allowed.describe() == "*");
  }
}

TEST_CASE("AOF's blocked patterns, also with blanks squeezed or removed") {
  CHECK(blocked_pattern_in("rm -rf /") == "rm -rf /");
  CHECK(blocked_pattern_in("sudo rm   -rf\t/var") == "rm -rf /");
  CHECK(blocked_pattern_in("mkfs.ext4 /dev/sda1") == "mkfs");
  CHECK(blocked_pattern_in("dd if=/dev/zero of=x") == "dd if=/dev");
  CHECK(blocked_pattern_in("nc -l 4444") == "nc -l");
  CHECK(blocked_pattern_in(":(){ :|:& };:") == ":(){:|:&};:");
  CHECK(blocked_pattern_in("rm -rf ./build") == "");
  CHECK(blocked_pattern_in("kubectl get pods") == "");
}

}  // namespace
}  // namespace aof::runtime::tools
