#pragma once
// What the MCP tests share: the fake stdio server's config (tests/mcp_server/).

#include <string>
#include <vector>

#include "common/runtime/mcp/server_config.h"
#include "tests/support/process.h"

namespace aof::runtime::mcp::testing {

inline ServerConfig fake_server(const std::string& name, std::vector<std::string> flags = {}) {
  ServerConfig config;
  config.name = name;
  config.argv = {aof::testing::binary_path("fake-mcp-server")};
  config.argv.insert(config.argv.end(), flags.begin(), flags.end());
  config.timeout = Millis(20'000);
  return config;
}

}  // namespace aof::runtime::mcp::testing
