#include <doctest/doctest.h>

#include <map>

#include "common/config/secrets.h"
#include "tests/support/fake_env.h"
#include "tests/support/temp_dir.h"

namespace aof::config {
namespace {

SecretRef ref_env(const std::string& name) {
  SecretRef ref;
  ref.value_env = name;
  ref.origin = "daemon.yaml:9";
  return ref;
}

}  // namespace

TEST_CASE("secrets resolve from env, file (trailing newline trimmed) and literal, in order") {
  testing::TempDir dir;
  SecretRef file;
  file.value_file = dir.write("gh", "from-file\r\n\n");
  file.not_before = 100;
  file.not_after = 200;
  SecretRef literal;
  literal.value = "lit";
  const auto secrets = resolve_secrets({ref_env("GH_SECRET"), file, literal},
                                       testing::fake_env({{"GH_SECRET", "from-env"}}));
  REQUIRE(secrets.ok());
  REQUIRE(secrets->size() == 3);
  CHECK((*secrets)[0].bytes == "from-env");
  CHECK((*secrets)[0].label == "env GH_SECRET");
  CHECK((*secrets)[1].bytes == "from-file");
  CHECK((*secrets)[1].label == "file " + file.value_file);
  CHECK((*secrets)[1].not_before == 100);
  CHECK((*secrets)[1].not_after == 200);
  CHECK((*secrets)[2].bytes == "lit");
  CHECK((*secrets)[2].label == "literal");
}

TEST_CASE("a missing or empty variable is an error naming it and where it was configured") {
  const auto unset = resolve_secrets({ref_env("GH_SECRET")}, testing::fake_env({}));
  REQUIRE_FALSE(unset.ok());
  CHECK(unset.error().code() == ErrorCode::kInvalidArgument);
  CHECK(unset.error().message() ==
        "daemon.yaml:9: environment variable GH_SECRET is not set or empty");
  const auto empty =
      resolve_secrets({ref_env("GH_SECRET")}, testing::fake_env({{"GH_SECRET", ""}}));
  CHECK(empty.error().message() ==
        "daemon.yaml:9: environment variable GH_SECRET is not set or empty");
}

TEST_CASE("unreadable and empty secret files are errors without the content") {
  testing::TempDir dir;
  SecretRef missing;
  missing.value_file = dir.path().string() + "/nope";
  missing.origin = "t.yaml:3";
  CHECK(resolve_secrets({missing}, testing::fake_env({})).error().message() ==
        "t.yaml:3: cannot read secret file " + missing.value_file);
  SecretRef blank;
  blank.value_file = dir.write("blank", "\n");
  CHECK(resolve_secrets({blank}, testing::fake_env({})).error().message() ==
        "secret file " + blank.value_file + " is empty");
  CHECK(resolve_secrets({SecretRef{}}, testing::fake_env({})).error().message() ==
        "secret has no value_env, value_file or value");
}

TEST_CASE("a secret is active inside its window, bounds included") {
  Secret always{"x", std::nullopt, std::nullopt, "literal"};
  CHECK(always.active_at(0));
  Secret window{"x", 100, 200, "literal"};
  CHECK_FALSE(window.active_at(99));
  CHECK(window.active_at(100));
  CHECK(window.active_at(200));
  CHECK_FALSE(window.active_at(201));
  Secret from{"x", 100, std::nullopt, "literal"};
  CHECK(from.active_at(1'000'000'000));
  CHECK_FALSE(from.active_at(50));
}

}  // namespace aof::config
