#include "common/config/diagnostics.h"

#include <algorithm>

namespace aof::config {

std::string Diagnostic::to_string() const {
  std::string text;
  if (!file.empty()) text = line > 0 ? file + ":" + std::to_string(line) + ": " : file + ": ";
  if (!path.empty()) text += path + ": ";
  return text + message;
}

bool has_errors(const Diagnostics& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace aof::config
