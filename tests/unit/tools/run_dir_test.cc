// RunDir: paths stay inside the run directory; absolute, .. and symlink escapes are refused.
#include "common/runtime/tools/run_dir.h"

#include "tests/unit/tools/tools_test_util.h"

namespace aof::runtime::tools {
namespace {

namespace fs = std::filesystem;

struct Fixture {
  aof::testing::TempDir outside;
  aof::testing::TempDir dir;
  RunDir run_dir() const {
    auto opened = RunDir::open(dir.path());
    REQUIRE(opened.ok());
    return *opened;
  }
  std::string refusal(const std::string& requested) const {
    auto resolved = run_dir().resolve(requested);
    REQUIRE_FALSE(resolved.ok());
    CHECK(resolved.error().code() == ErrorCode::kInvalidArgument);
    return resolved.error().message();
  }
};

TEST_CASE("paths inside resolve, existing or not, and read back relative") {
  Fixture f;
  f.dir.write("a/b.txt", "x");
  fs::create_directory_symlink(f.dir.path() / "a", f.dir.path() / "link");
  const RunDir run_dir = f.run_dir();
  const auto root = fs::canonical(f.dir.path());
  CHECK(*run_dir.resolve("a/b.txt") == root / "a/b.txt");
  CHECK(*run_dir.resolve("./a/../a/new/file") == root / "a/new/file");
  CHECK(*run_dir.resolve("link/b.txt") == root / "a/b.txt");  // a link that stays inside
  CHECK(*run_dir.resolve(".") == root);
  CHECK(*run_dir.resolve("") == root);
  CHECK(run_dir.relative(root / "a/b.txt") == "a/b.txt");
  CHECK(run_dir.relative(root) == ".");
}

TEST_CASE("absolute paths, .. escapes and links leading outside are refused") {
  Fixture f;
  f.outside.write("secret", "s");
  fs::create_symlink(f.outside.path() / "secret", f.dir.path() / "file_link");
  fs::create_directory_symlink(f.outside.path(), f.dir.path() / "dir_link");
  fs::create_symlink("../../etc/passwd", f.dir.path() / "relative_link");
  CHECK(f.refusal("/etc/passwd") ==
        "path \"/etc/passwd\" is absolute; tools only reach the run directory: give a path "
        "relative to it, such as \"report.txt\" or \"repo/src\"");
  CHECK(f.refusal("../x").find("path \"../x\" leads outside the run directory;") == 0);
  CHECK(f.refusal("a/../../x").find("leads outside the run directory;") != std::string::npos);
  for (const char* link : {"file_link", "dir_link/secret", "dir_link/new", "relative_link"}) {
    CAPTURE(link);
    CHECK(f.refusal(link).find("leads outside the run directory through a symbolic link") !=
          std::string::npos);
  }
}

TEST_CASE("a missing run directory is the caller's bug, not the model's") {
  auto missing = RunDir::open("/nonexistent/run-dir");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code() == ErrorCode::kInternal);
  CHECK_FALSE(RunDir::open("").ok());
}

}  // namespace
}  // namespace aof::runtime::tools
