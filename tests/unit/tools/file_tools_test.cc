// read_file, write_file, list_directory and search_files inside a real run directory, with
// escapes through .., absolute paths and symbolic links refused.
#include "common/runtime/tools/file_tools.h"

#include "common/runtime/tools/glob.h"
#include "tests/unit/tools/tools_test_util.h"

namespace aof::runtime::tools {
namespace {

namespace fs = std::filesystem;
using testing::error_of;
using testing::RunDirFixture;

// A run directory next to a directory it must not reach.
struct Fixture : RunDirFixture {
  aof::testing::TempDir outside;
  Fixture() {
    outside.write("secret.txt", "top secret");
    fs::create_symlink(outside.path() / "secret.txt", dir.path() / "secret_link");
    fs::create_directory_symlink(outside.path(), dir.path() / "outside_dir");
  }
};

TEST_CASE("read_file returns the text, its size, and cuts at max_bytes") {
  Fixture f;
  f.dir.write("notes/a.txt", "hello world");
  const ToolResult full = f.call(*make_read_file_tool(), {{"path", "notes/a.txt"}});
  REQUIRE(full.success);
  CHECK(full.data == Json{{"path", "notes/a.txt"},
                          {"size", 11},
                          {"bytes_read", 11},
                          {"truncated", false},
                          {"encoding", "utf-8"},
                          {"content", "hello world"}});
  CHECK_FALSE(full.changed_something);
  const ToolResult cut =
      f.call(*make_read_file_tool(), {{"path", "notes/a.txt"}, {"max_bytes", 5}});
  CHECK(cut.data["content"] == "hello");
  CHECK(cut.data["truncated"] == true);
  CHECK(cut.data["size"] == 11);
}

TEST_CASE("read_file: binary as base64, or invalid UTF-8 replaced and said so") {
  Fixture f;
  f.dir.write("bin", std::string("\xff\x00\x01", 3));
  const auto b64 = f.call(*make_read_file_tool(), {{"path", "bin"}, {"encoding", "base64"}});
  CHECK(b64.data["content"] == "/wAB");
  const auto text = f.call(*make_read_file_tool(), {{"path", "bin"}});
  CHECK(text.data["content"] == std::string("\xEF\xBF\xBD\x00\x01", 5));
  CHECK(text.data["invalid_utf8_replaced"] == true);
}

TEST_CASE("read_file refuses escapes and says what is wrong with other paths") {
  Fixture f;
  f.dir.write("d/x", "");
  const auto tool = make_read_file_tool();
  CHECK(error_of(f.call(*tool, {{"path", "/etc/passwd"}})).find("is absolute") !=
        std::string::npos);
  CHECK(error_of(f.call(*tool, {{"path", "../secret.txt"}})).find("leads outside") !=
        std::string::npos);
  CHECK(error_of(f.call(*tool, {{"path", "secret_link"}})).find("through a symbolic link") !=
        std::string::npos);
  CHECK(error_of(f.call(*tool, {{"path", "outside_dir/secret.txt"}}))
            .find("through a symbolic link") != std::string::npos);
  CHECK(error_of(f.call(*tool, {{"path", "missing"}})) ==
        "no file \"missing\" in the run directory");
  CHECK(error_of(f.call(*tool, {{"path", "d"}})) == "\"d\" is a directory; use list_directory");
  CHECK(error_of(f.call(*tool, Json::object())) == "missing required argument \"path\"");
}

TEST_CASE("write_file writes, appends, creates directories on request, never outside") {
  Fixture f;
  const auto tool = make_write_file_tool();
  const ToolResult written = f.call(*tool, {{"path", "out/r.txt"}, {"content", "one\n"}});
  REQUIRE(written.success);
  CHECK(written.changed_something);
  CHECK(written.data == Json{{"path", "out/r.txt"}, {"bytes_written", 4}, {"appended", false}});
  CHECK(f.call(*tool, {{"path", "out/r.txt"}, {"content", "two\n"}, {"append", true}}).success);
  CHECK(f.call(*make_read_file_tool(), {{"path", "out/r.txt"}}).data["content"] == "one\ntwo\n");
  CHECK(error_of(f.call(*tool, {{"path", "new/x"}, {"content", ""}, {"create_dirs", false}})) ==
        "the directory of \"new/x\" does not exist; set create_dirs to create it");
  CHECK(error_of(f.call(*tool, {{"path", "out"}, {"content", ""}})) == "\"out\" is a directory");
  for (const char* escape : {"../evil", "/tmp/evil", "secret_link", "outside_dir/evil"}) {
    CAPTURE(escape);
    CHECK(error_of(f.call(*tool, {{"path", escape}, {"content", "x"}})).find("path \"") == 0);
  }
  CHECK(fs::exists(f.outside.path() / "secret.txt"));
  CHECK_FALSE(fs::exists(f.outside.path() / "evil"));
  std::ifstream secret(f.outside.path() / "secret.txt");
  CHECK(std::string(std::istreambuf_iterator<char>(secret), {}) == "top secret");
}

TEST_CASE("list_directory lists sorted entries, hides dot files, recurses to max_depth") {
  Fixture f;
  f.dir.write("a.txt", "12345");
  f.dir.write(".hidden", "");
  f.dir.write("sub/deeper/deepest/x", "");
  const auto tool = make_list_directory_tool();
  const ToolResult top = f.call(*tool, {{"path", "."}});
  REQUIRE(top.success);
  CHECK(top.data["entries"] == Json::array({{{"path", "a.txt"}, {"type", "file"}, {"size", 5}},
                                            {{"path", "outside_dir"}, {"type", "symlink"}},
                                            {{"path", "secret_link"}, {"type", "symlink"}},
                                            {{"path", "sub"}, {"type", "directory"}}}));
  CHECK(top.data["truncated"] == false);
  const ToolResult deep = f.call(
      *tool, {{"path", "sub"}, {"recursive", true}, {"max_depth", 2}, {"include_hidden", true}});
  REQUIRE(deep.success);
  CHECK(deep.data["entries"] ==
        Json::array({{{"path", "sub/deeper"}, {"type", "directory"}},
                     {{"path", "sub/deeper/deepest"}, {"type", "directory"}}}));
  const ToolResult hidden = f.call(*tool, {{"path", "."}, {"include_hidden", true}});
  CHECK(hidden.data["entries"][0]["path"] == ".hidden");
  CHECK(error_of(f.call(*tool, {{"path", "outside_dir"}})).find("through a symbolic link") !=
        std::string::npos);
  CHECK(error_of(f.call(*tool, {{"path", "a.txt"}})) ==
        "\"a.txt\" is not a directory in the run directory");
}

TEST_CASE("search_files finds by glob below path, never through links, up to max_results") {
  Fixture f;
  for (const char* file :
       {"k8s/web.yaml", "k8s/db/db.yaml", "k8s/db/notes.md", "top.yaml", ".ci.yaml"}) {
    f.dir.write(file, "");
  }
  f.outside.write("leak.yaml", "");
  const auto tool = make_search_files_tool();
  CHECK(f.call(*tool, {{"pattern", "*.yaml"}}).data["matches"] ==
        Json{"k8s/db/db.yaml", "k8s/web.yaml", "top.yaml"});
  CHECK(f.call(*tool, {{"pattern", "db/*"}, {"path", "k8s"}}).data["matches"] ==
        Json{"k8s/db/db.yaml", "k8s/db/notes.md"});
  CHECK(f.call(*tool, {{"pattern", "**/db"}}).data["matches"] == Json{"k8s/db/"});
  const ToolResult one = f.call(*tool, {{"pattern", "*.yaml"}, {"max_results", 1}});
  CHECK(one.data["matches"].size() == 1);
  CHECK(one.data["truncated"] == true);
  CHECK(error_of(f.call(*tool, {{"pattern", "../*"}})) == "pattern cannot climb out with ..");
  CHECK(error_of(f.call(*tool, {{"pattern", "/etc/*"}})) ==
        "pattern must be relative to path, not absolute");
  CHECK(error_of(f.call(*tool, {{"pattern", "*"}, {"path", "outside_dir"}}))
            .find("through a symbolic link") != std::string::npos);
}

TEST_CASE("glob: * ? [] within a segment, ** across, no / means any depth") {
  CHECK(GlobPattern("*.cc").matches("a/b/c.cc"));
  CHECK(GlobPattern("*.cc").matches("c.cc"));
  CHECK_FALSE(GlobPattern("*.cc").matches("a/.c.cc"));  // leading dot only explicitly
  CHECK(GlobPattern("src/*.cc").matches("src/a.cc"));
  CHECK_FALSE(GlobPattern("src/*.cc").matches("src/x/a.cc"));
  CHECK(GlobPattern("src/**/*.cc").matches("src/a.cc"));
  CHECK(GlobPattern("src/**/*.cc").matches("src/x/y/a.cc"));
  CHECK_FALSE(GlobPattern("src/**/*.cc").matches("lib/x/a.cc"));
  CHECK(GlobPattern("./src/?.[ch]").matches("src/a.h"));
  std::string deep;
  for (int i = 0; i < 60; ++i) deep += "d/";
  CHECK(GlobPattern("**/**/**/**/**/**/**/**/z").matches(deep + "z"));
  deep += "y";  // many ** over a deep path: one pass each, not a search per split
  CHECK_FALSE(GlobPattern("**/**/**/**/**/**/**/**/**/**/x").matches(deep));
}

}  // namespace
TEST_CASE("journal: no file tool has an outside effect, write_file included (the run's dir)") {
  CHECK_FALSE(make_read_file_tool()->has_outside_effect({{"path", "a.txt"}}));
  CHECK_FALSE(make_write_file_tool()->has_outside_effect({{"path", "a.txt"}, {"content", "x"}}));
  CHECK_FALSE(make_list_directory_tool()->has_outside_effect({{"path", "."}}));
  CHECK_FALSE(make_search_files_tool()->has_outside_effect({{"pattern", "*.txt"}}));
}

}  // namespace aof::runtime::tools
