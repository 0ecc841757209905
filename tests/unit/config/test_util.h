#pragma once
// Helpers shared by the config tests: diagnostics as text, split by severity.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/config/diagnostics.h"

namespace doctest {
// Failed comparisons of message lists print the lists, one message a line.
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& lines) {
    std::string text = "{";
    for (const auto& line : lines) text += "\n  \"" + line + "\"";
    return String((text + "}").c_str());
  }
};
}  // namespace doctest

namespace aof::config::test {

inline std::vector<std::string> texts(const Diagnostics& diagnostics, Severity severity) {
  std::vector<std::string> out;
  for (const auto& d : diagnostics) {
    if (d.severity == severity) out.push_back(d.to_string());
  }
  return out;
}

inline std::vector<std::string> errors(const Diagnostics& d) { return texts(d, Severity::kError); }
inline std::vector<std::string> warnings(const Diagnostics& d) {
  return texts(d, Severity::kWarning);
}

// Where the checked-in fixtures live.
inline std::string testdata(const std::string& relative) {
  std::string path = AOF_SOURCE_DIR;  // appended piecewise: GCC 12 misreports operator+ here
  path += "/tests/testdata/config/";
  return path += relative;
}

}  // namespace aof::config::test
