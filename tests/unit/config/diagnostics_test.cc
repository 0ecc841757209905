#include <doctest/doctest.h>

#include "common/config/diagnostics.h"

namespace aof::config {

TEST_CASE("a diagnostic renders as file:line: path: message, leaving out empty parts") {
  CHECK(Diagnostic{Severity::kError, "daemon.yaml", 14, "spec.queue.max_retries", "must be >= 0"}
            .to_string() == "daemon.yaml:14: spec.queue.max_retries: must be >= 0");
  CHECK(Diagnostic{Severity::kError, "", 0, "AOF_PORT", "must be an integer from 1 to 65535"}
            .to_string() == "AOF_PORT: must be an integer from 1 to 65535");
  CHECK(Diagnostic{Severity::kError, "x.yaml", 0, "", "cannot read: No such file or directory"}
            .to_string() == "x.yaml: cannot read: No such file or directory");
  CHECK(Diagnostic{Severity::kWarning, "x.yaml", 3, "", "no YAML document"}.to_string() ==
        "x.yaml:3: no YAML document");
}

TEST_CASE("has_errors ignores warnings") {
  Diagnostics d = {{Severity::kWarning, "a", 1, "p", "w"}};
  CHECK_FALSE(has_errors(d));
  d.push_back({Severity::kError, "a", 2, "p", "e"});
  CHECK(has_errors(d));
  CHECK_FALSE(has_errors({}));
}

}  // namespace aof::config
