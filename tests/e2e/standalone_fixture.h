#pragma once
// A running `aof serve` (standalone, memory queue) with its own config, triggers and flows in
// a temp dir, on a free port; plus helpers to send signed GitHub webhooks to it.

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace aof::testing {

inline constexpr const char* kSecret = "e2e-secret-It's a Secret";

struct HttpReply {
  int status = 0;
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

class Standalone {
 public:
  // Writes the files and starts the server; waits until it listens. `extra_spec` is YAML
  // appended under `spec:` (indented two spaces), e.g. "  gateway: {max_body_bytes: 2048}\n".
  explicit Standalone(const std::string& extra_spec = "");
  ~Standalone();

  int port() const { return port_; }
  const TempDir& dir() const { return dir_; }
  ChildProcess& process() { return *server_; }
  std::string marker_path() const;  // lines appended by the `record` flow

  // POSTs `body` as GitHub would, signed with `secret` (nullptr = no signature header).
  HttpReply send_github(const std::string& event, const std::string& body,
                        const std::string& delivery, const char* secret = kSecret) const;
  // POSTs with an explicit X-Hub-Signature-256 value.
  HttpReply send_with_signature(const std::string& event, const std::string& body,
                                const std::string& delivery, const std::string& signature) const;
  HttpReply get(const std::string& path) const;

  // GET /v1/events/ID?wait=20
  nlohmann::json wait_for_event(const std::string& event_id) const;

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> server_;
  int port_ = 0;
};

// A pull_request / issues payload for repository acme/payments.
std::string pull_request_body(int number, const std::string& action = "opened");
std::string issue_body(int number);

std::string github_signature(const std::string& secret, const std::string& body);

}  // namespace aof::testing
