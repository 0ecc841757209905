#pragma once
// The JSON answers the ingress gives providers (DESIGN §5). Every body is application/json
// and serialised with invalid UTF-8 replaced, so text taken from a request (a platform name
// from the path) can never make serialisation throw.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "common/ingest/request.h"

namespace aof::ingest {

inline constexpr const char* kRetryAfterSeconds = "5";

IngressResponse json_answer(int status, const nlohmann::json& body);
// {"event_id": event_id, "status": "accepted"}: json_answer's bytes (keys sorted) without
// building a tree (one per accepted webhook).
IngressResponse accepted_answer(int status, const std::string& event_id);
// {"error": message}
IngressResponse error_answer(int status, std::string_view message);
// 200 {"status":"ignored","reason":reason}
IngressResponse ignored_answer(std::string_view reason);
// 503 {"error": message} with Retry-After
IngressResponse unavailable_answer(std::string_view message);

}  // namespace aof::ingest
