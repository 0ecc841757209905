#pragma once
// Private to common/runtime/llm: reading a provider's answer without trusting its shape.
// A missing member or one of the wrong type reads as empty, never throws.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace aof::runtime::llm::wire {

// The member `key` of `object`, or null when `object` is not an object or lacks it.
inline const nlohmann::json& member(const nlohmann::json& object, const char* key) {
  static const nlohmann::json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

inline std::string string_at(const nlohmann::json& object, const char* key) {
  const auto& value = member(object, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

inline std::int64_t int_at(const nlohmann::json& object, const char* key) {
  const auto& value = member(object, key);
  return value.is_number_integer() ? value.get<std::int64_t>() : 0;
}

// An array member, or an empty array.
inline const nlohmann::json& array_at(const nlohmann::json& object, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  const auto& value = member(object, key);
  return value.is_array() ? value : kEmpty;
}

}  // namespace aof::runtime::llm::wire
