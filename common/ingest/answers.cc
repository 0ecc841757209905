#include "common/ingest/answers.h"

namespace aof::ingest {

IngressResponse json_answer(int status, const nlohmann::json& body) {
  IngressResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

IngressResponse accepted_answer(int status, const std::string& event_id) {
  IngressResponse response;
  response.status = status;
  response.content_type = "application/json";
  response.body =
      R"({"event_id":)" +
      nlohmann::json(event_id).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
      R"(,"status":"accepted"})";
  return response;
}

IngressResponse error_answer(int status, std::string_view message) {
  return json_answer(status, {{"error", std::string(message)}});
}

IngressResponse ignored_answer(std::string_view reason) {
  return json_answer(200, {{"status", "ignored"}, {"reason", std::string(reason)}});
}

IngressResponse unavailable_answer(std::string_view message) {
  IngressResponse response = error_answer(503, message);
  response.headers["Retry-After"] = kRetryAfterSeconds;
  return response;
}

}  // namespace aof::ingest
