#pragma once
// Certificates for TLS tests of real servers (redis-server, nats-server): a CA and a server
// certificate for 127.0.0.1 / localhost signed by it, valid for two days, made with the
// openssl CLI in `dir` as ca.crt, ca.key, server.crt, server.key. EC keys: generated in
// milliseconds (RSA keys take tenths of a second). Throws std::runtime_error when openssl is
// missing or fails.

#include "tests/support/temp_dir.h"

namespace aof::testing {

void make_test_certificates(const TempDir& dir);

}  // namespace aof::testing
