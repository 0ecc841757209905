#pragma once
// A running `aof serve` (standalone, memory queue) with its own config, triggers and flows in
// a temp dir, on a free port; plus the pieces every e2e fixture builds on: the e2e config,
// trigger and flow files, and signed GitHub webhooks to a listener on 127.0.0.1.

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
  std::string retry_after;  // the Retry-After header, if any
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

// The e2e DaemonConfig: GitHub secret from $E2E_GITHUB_SECRET (set it to kSecret), triggers/
// and flows/ beside the file, listener on 127.0.0.1:`port` (`aof serve --port 0` overrides it
// with any free port). `spec_tail` is YAML appended under `spec:`, e.g. the queue and worker
// sections.
std::string e2e_daemon_yaml(const std::string& spec_tail, int port = 8080);
// The Trigger e2e-github binding each "event.action" to a flow name.
std::string github_trigger_yaml(const std::map<std::string, std::string>& bindings);
// A one-node flow whose Script gets the PR number as $PR and the marker file as $MARKER, and
// `env` besides (values are templates, e.g. {"TEXT", "${event.text}"}).
std::string marker_flow(const std::string& name, const std::string& command,
                        const std::string& marker,
                        const std::map<std::string, std::string>& env = {});

// Starts `aof serve -c CONFIG --port 0` in `dir` (logs there too) with `env` added to ours,
// and waits until it listens; `port` is where.
std::unique_ptr<ChildProcess> start_serve(const TempDir& dir, const std::string& config,
                                          const std::map<std::string, std::string>& env,
                                          int& port);

// Waits (30 s) for the stderr line containing `needle`, e.g. "listening on http://127.0.0.1:",
// and returns the port at its end. Throws with the process's stderr when it never comes.
int wait_for_port(const ChildProcess& process, const std::string& needle);

// POSTs `body` to 127.0.0.1:port as GitHub would, signed with `secret` (nullptr = unsigned).
HttpReply post_github(int port, const std::string& event, const std::string& body,
                      const std::string& delivery, const char* secret = kSecret);
HttpReply http_get(int port, const std::string& path);

// A pull_request / issues payload for repository acme/payments.
std::string pull_request_body(int number, const std::string& action = "opened");
std::string issue_body(int number);

std::string github_signature(const std::string& secret, const std::string& body);

// Polls `path` (20 s) until it holds the line `line`.
bool wait_for_file_line(const std::string& path, const std::string& line);

}  // namespace aof::testing
