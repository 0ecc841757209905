#pragma once
// An EnvLookup over a fixed map, so tests exercise environment handling without setenv.

#include <map>
#include <string>

#include "common/config/loader.h"

namespace aof::testing {

inline config::EnvLookup fake_env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const char* name) -> const char* {
    const auto it = values.find(name);
    return it == values.end() ? nullptr : it->second.c_str();
  };
}

}  // namespace aof::testing
