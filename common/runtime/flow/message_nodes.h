#pragma once
// Slack and Discord flow nodes (reference §6.3, made real: AOF's sent nothing). They post
// `message` to `channel` through FlowRunOptions.send_message (the worker's report-back
// clients and tokens); `channel`, `message` and `threadTs` are expanded, Slack's `blocks`
// are sent as written. Output: {platform, channel: <as the platform answered, else as
// written>, message, ts: <Slack ts / Discord message id>, sent: true}, plus `thread` when
// set. An empty channel or message fails permanently, as does `waitForReaction: true`, which
// approvals handle (nothing is sent then). A platform's errors keep their code (a 5xx or
// 429 is retryable).

#include <nlohmann/json.hpp>

#include "common/base/result.h"
#include "common/runtime/flow/nodes.h"

namespace aof::runtime::flow {

Result<nlohmann::json> run_message_node(const NodeRun& run);

}  // namespace aof::runtime::flow
