#pragma once
// Reading fields of a parsed, untrusted payload without exceptions: a missing key, a wrong
// type or a non-object on the way gives "" (or null), never a throw.

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>

namespace aof::ingest {

// The value at `path` (object keys) as text: a string as is, an integer in decimal, a bool
// as true/false; "" for anything else or when absent.
std::string text_at(const nlohmann::json& root, std::initializer_list<const char*> path);

// The value at `path`, or a null json when absent (never throws).
const nlohmann::json& node_at(const nlohmann::json& root, std::initializer_list<const char*> path);

// The first line of `text` (up to '\n'), as AOF cuts bodies for message texts.
std::string first_line(const std::string& text);

}  // namespace aof::ingest
