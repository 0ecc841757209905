#pragma once
// A finding of the config loader: where (file, line, YAML path) and what. Errors stop a
// binary from starting; warnings are logged once. Text form:
//   daemon.yaml:14: spec.queue.max_retries: must be >= 0

#include <string>
#include <vector>

namespace aof::config {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;  // as given to the loader (not made absolute)
  int line = 0;      // 1-based; 0 = the file as a whole
  std::string path;  // YAML path, e.g. spec.queue.max_retries ("" = the document)
  std::string message;

  // "file:line: path: message" (parts that are empty are left out).
  std::string to_string() const;
};

using Diagnostics = std::vector<Diagnostic>;

bool has_errors(const Diagnostics& diagnostics);

}  // namespace aof::config
