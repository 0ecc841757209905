#include "common/runtime/tools/tool.h"

namespace aof::runtime::tools {

std::string to_model_text(const ToolResult& result) {
  nlohmann::json text = {{"success", result.success}, {"data", result.data}};
  if (!result.error.empty()) text["error"] = result.error;
  return text.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace aof::runtime::tools
