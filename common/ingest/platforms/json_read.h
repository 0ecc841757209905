#pragma once
// Reading fields of a parsed, untrusted payload without exceptions: a missing key, a wrong
// type or a non-object on the way gives "" (or null), never a throw.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <initializer_list>
#include <string>

namespace aof::ingest {

// The value at `path` (object keys) as text: a string as is, an integer in decimal, a bool
// as true/false; "" for anything else or when absent.
std::string text_at(const nlohmann::json& root, std::initializer_list<const char*> path);

// The value at `path`, or a null json when absent (never throws).
const nlohmann::json& node_at(const nlohmann::json& root, std::initializer_list<const char*> path);

// The scalar at `path` as a metadata value: a string cut to 16 KiB at a character boundary
// (bounded_text, as message texts are), a number or a bool as is; null for anything else, so
// a payload can never put a nested object or an unbounded string into the metadata.
nlohmann::json scalar_at(const nlohmann::json& root, std::initializer_list<const char*> path);

// The strings of the array at `path` (tags, labels), each cut as scalar_at cuts, at most
// `max_items` of them; items that are not strings are skipped. [] when absent.
nlohmann::json strings_at(const nlohmann::json& root, std::initializer_list<const char*> path,
                          std::size_t max_items = 100);

// The first line of `text` (up to '\n', without a trailing '\r'), as AOF cuts bodies for
// message texts (Rust's str::lines().next()).
std::string first_line(const std::string& text);

}  // namespace aof::ingest
