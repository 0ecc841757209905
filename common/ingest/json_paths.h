#pragma once
// Reading only what routing needs from an untrusted JSON body, in one validating pass, instead
// of building a tree (nlohmann::json) of all of it: a 25 KB pull request is mostly text that
// nothing routes on, and the tree's allocations were the ingest hot path's largest cost.
//
// The whole text is still checked as nlohmann::json::parse checks it, so the same bodies are
// accepted and refused: RFC 8259 syntax, UTF-8 (RFC 3629) inside strings, \u escapes with
// paired surrogates, finite numbers, a leading UTF-8 BOM skipped, nothing but whitespace after
// the value (up to a NUL byte, which nlohmann takes for the end of input). Where a key repeats, the
// last one wins, with everything below it (as in the tree). Bounded: nesting deeper than
// `max_depth` stops the scan (no unbounded recursion). Thread-safe: JsonPaths is immutable once
// built.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.h"
#include "common/ingest/bounded_json.h"

namespace aof::ingest {

// What a document holds at one path.
struct JsonScalar {
  enum class Kind : std::uint8_t { kAbsent, kNull, kBool, kNumber, kString, kArray, kObject };
  // How nlohmann would store a number: an integer that fits int64 (negative) or uint64 (not
  // negative), else a double.
  enum class Number : std::uint8_t { kFloat, kInteger, kUnsigned };

  Kind kind = Kind::kAbsent;
  std::string text;      // kString: the decoded UTF-8 value
  bool boolean = false;  // kBool
  Number number = Number::kFloat;
  std::uint64_t bits = 0;  // kNumber kUnsigned: the value; kInteger: the int64's bits
  std::size_t size = 0;    // kArray: number of elements

  bool operator==(const JsonScalar&) const = default;
};

// A fixed set of paths through nested objects, each written with dots between the keys:
// "action", "pull_request.base.ref". Keys containing '.' cannot be named; array elements are
// not entered (an array reports its size only).
class JsonPaths {
 public:
  explicit JsonPaths(const std::vector<std::string_view>& dotted);
  std::size_t size() const { return count_; }

 private:
  friend class JsonPathWalk;
  struct Node {
    std::string key;
    int value = -1;             // index of a requested path's result, else -1
    std::vector<int> children;  // into nodes_
    std::vector<int> subtree;   // results at or below this node: cleared when its key repeats
  };
  int child(int node, std::string_view key) const;

  std::vector<Node> nodes_;  // nodes_[0]: the top-level object
  std::size_t count_ = 0;
};

// Scans `text`, which must be one JSON object, and returns the values at `paths` in their
// order. Errors (kInvalidArgument), worded as parse_json_object's: "JSON nesting exceeds N
// levels", "body is not valid JSON", "body is not a JSON object".
Result<std::vector<JsonScalar>> extract_json_paths(std::string_view text, const JsonPaths& paths,
                                                   std::size_t max_depth = kMaxJsonDepth);

// The same values read from a parsed tree (for callers that hold one, and to prove the scan
// equal to a full parse).
std::vector<JsonScalar> extract_json_tree_paths(const nlohmann::json& document,
                                                const JsonPaths& paths);

}  // namespace aof::ingest
