#include "tests/support/test_certificates.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/redis_server.h"  // find_on_path

namespace aof::testing {

void make_test_certificates(const TempDir& dir) {
  const std::string openssl = find_on_path("openssl");
  if (openssl.empty()) {
    throw std::runtime_error("openssl not found on PATH (install it with scripts/setup.sh)");
  }
  const std::string d = dir.path().string() + "/";
  const std::string ext = dir.write("server.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  const std::vector<std::vector<std::string>> steps = {
      {"req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt",
       "ec_paramgen_curve:prime256v1", "-keyout", d + "ca.key", "-out", d + "ca.crt", "-days", "2",
       "-subj", "/CN=aof-test-ca"},
      {"req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
       "-keyout", d + "server.key", "-out", d + "server.csr", "-subj", "/CN=127.0.0.1"},
      {"x509", "-req", "-in", d + "server.csr", "-CA", d + "ca.crt", "-CAkey", d + "ca.key",
       "-set_serial", "1", "-out", d + "server.crt", "-days", "2", "-extfile", ext},
  };
  for (const auto& step : steps) {
    const RunResult run = run_to_completion(openssl, step, {});
    if (run.exit_code != 0) {
      throw std::runtime_error("openssl " + step[0] + " failed: " + run.err);
    }
  }
}

}  // namespace aof::testing
