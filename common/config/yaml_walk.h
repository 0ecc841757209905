#pragma once
// Private to common/config: walking a yaml-cpp tree while recording diagnostics with file,
// 1-based line and dotted YAML path. Readers never throw; a missing or null value leaves the
// output untouched (YAML null means "not set", as in AOF's Option fields).

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/config/diagnostics.h"

namespace aof::config {

// A node and where it sits: its dotted path ("spec.queue.max_retries", "spec.nodes[2].id").
struct Field {
  YAML::Node node;
  std::string path;

  bool present() const { return node.IsDefined() && !node.IsNull(); }
  int line() const;  // 1-based; 0 when yaml-cpp has no mark
  Field child(const std::string& key, const YAML::Node& value) const;
  Field item(std::size_t index, const YAML::Node& value) const;
  // The value at `key` of a map node (a null Field when absent or not a map). Never inserts.
  Field at(const std::string& key) const;
};

class Walker {
 public:
  Walker(std::string file, Diagnostics& out) : file_(std::move(file)), out_(out) {}

  const std::string& file() const { return file_; }
  Diagnostics& diagnostics() { return out_; }
  std::size_t error_count() const;
  // "file:line" — where a resource was defined.
  std::string source(const Field& field) const;

  void error(const Field& field, std::string message);
  void warning(const Field& field, std::string message);
  void add(Severity severity, int line, std::string path, std::string message);
  // "<parent.key>: required", at the parent's line.
  void missing(const Field& parent, const std::string& key);

  bool expect_map(const Field& field);       // "must be a map"
  bool expect_sequence(const Field& field);  // "must be a list"

  // Scalar readers: report a type error and return false when the value has the wrong shape.
  bool read_string(const Field& field, std::string& out);
  bool read_bool(const Field& field, bool& out);
  bool read_double(const Field& field, double& out);
  bool read_string_list(const Field& field, std::vector<std::string>& out);
  bool read_string_map(const Field& field, std::map<std::string, std::string>& out);
  // Integers: "must be an integer"; then "must be >= min" (and "must be <= max").
  bool read_int(const Field& field, std::int64_t& out, std::int64_t min = INT64_MIN,
                std::int64_t max = INT64_MAX);
  bool read_int(const Field& field, int& out, std::int64_t min = INT32_MIN,
                std::int64_t max = INT32_MAX);
  // One message for both shape and range: "must be an integer from 1 to 65535".
  bool read_int_between(const Field& field, int& out, int min, int max);
  // One of `allowed` exactly (case-sensitive): "must be one of: a, b, c".
  bool read_enum(const Field& field, std::string& out, const std::vector<std::string>& allowed);

 private:
  std::string file_;
  Diagnostics& out_;
};

std::size_t count_errors(const Diagnostics& diagnostics);

// The YAML text of a scalar parsed as an integer (decimal, optional sign), or nullopt.
std::optional<std::int64_t> parse_integer(const std::string& text);

// Free-form YAML as JSON: plain scalars become null/bool/number/string as YAML 1.2 core
// would read them; quoted scalars stay strings. Throws std::runtime_error past 200 levels:
// yaml-cpp lets an alias refer to its own ancestor (`&a [*a]`), an endless tree.
nlohmann::json to_json(const YAML::Node& node, int depth = 0);

// Walking a map's keys against a table. Keys outside the table are errors (our sections and
// DaemonConfig) or warnings (AOF resources, which AOF reads leniently).
enum class UnknownKeys { kError, kWarning };

struct Key {
  std::string name;
  std::function<void(const Field&)> read;  // called for a non-null value; may be empty
  const char* warning = nullptr;           // warn when present (AOF keys we do not use)
};

// Returns false (after reporting) when `field` is not a map. Reports duplicate keys.
bool walk_map(Walker& walker, const Field& field, const std::vector<Key>& keys,
              UnknownKeys unknown);

// Every non-empty document of `text`; on a syntax error, reports "invalid YAML: <yaml-cpp's
// message>" at the line yaml-cpp gives and returns nullopt.
std::optional<std::vector<YAML::Node>> load_documents(Walker& walker, const std::string& text);

// Reads a whole file; on failure reports "cannot read: <reason>" (line 0) and returns nullopt.
std::optional<std::string> read_text_file(Walker& walker);

// The warning for AOF keys that are accepted but do nothing here.
inline constexpr const char* kNoEffect = "parsed for AOF compatibility; has no effect";

// "must be one of: a, b, c"
std::string one_of_message(const std::vector<std::string>& allowed);

}  // namespace aof::config
