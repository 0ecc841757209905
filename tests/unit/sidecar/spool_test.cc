// The local spool (issue 6 item 1): durable appends, reading back in order, commits, restarts,
// a torn tail cut off, the size bound, segment files and exclusive ownership.
#include <doctest/doctest.h>

#include <filesystem>
#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "sidecar/spool.h"
#include "tests/support/temp_dir.h"

namespace aof::sidecar {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::unique_ptr<Spool> open_spool(const std::string& dir, std::int64_t max_bytes = 1 << 20,
                                  std::int64_t segment_bytes = 1 << 20) {
  auto spool = Spool::open({dir, max_bytes, segment_bytes});
  if (!spool.ok()) FAIL("Spool::open: " << spool.error().message());
  return std::move(*spool);
}

std::vector<std::string> contents(Spool& spool, std::size_t max = 1000) {
  auto records = spool.read(max);
  REQUIRE(records.ok());
  std::vector<std::string> bytes;
  for (const auto& r : *records) bytes.push_back(r.bytes);
  return bytes;
}

std::vector<fs::path> segment_files(const std::string& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().starts_with("segment-")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST_CASE("spool: records come back in order until committed, and survive a reopen") {
  TempDir temp;
  const std::string dir = (temp.path() / "spool").string();  // created by open
  {
    auto spool = open_spool(dir);
    for (const char* r : {"one", "two", "three"}) REQUIRE(spool->append(r).ok());
    CHECK(spool->pending_records() == 3);
    CHECK(spool->pending_bytes() == 3 * 8 + 3 + 3 + 5);
    CHECK(contents(*spool) == std::vector<std::string>{"one", "two", "three"});
    // Reading is not consuming: until a commit the same records come back.
    auto first = spool->read(1);
    REQUIRE(first.ok());
    REQUIRE(first->size() == 1);
    CHECK(contents(*spool, 1) == std::vector<std::string>{"one"});
    REQUIRE(spool->commit(first->front().position).ok());
    CHECK(contents(*spool) == std::vector<std::string>{"two", "three"});
    CHECK(spool->pending_records() == 2);
  }
  auto reopened = open_spool(dir);
  CHECK(reopened->pending_records() == 2);
  CHECK(contents(*reopened) == std::vector<std::string>{"two", "three"});
  REQUIRE(reopened->append("four").ok());
  CHECK(contents(*reopened) == std::vector<std::string>{"two", "three", "four"});
}

TEST_CASE("spool: a record torn by a crash is cut off at the next open") {
  TempDir temp;
  const std::string dir = temp.path().string();
  {
    auto spool = open_spool(dir);
    REQUIRE(spool->append("kept-1").ok());
    REQUIRE(spool->append("kept-2").ok());
  }
  const auto files = segment_files(dir);
  REQUIRE(files.size() == 1);
  const auto intact_size = fs::file_size(files[0]);
  {  // half a record: a header promising 100 bytes, 3 of them written
    std::ofstream torn(files[0], std::ios::binary | std::ios::app);
    torn << std::string("\x64\x00\x00\x00\x01\x02\x03\x04", 8) << "abc";
  }
  auto spool = open_spool(dir);
  CHECK(contents(*spool) == std::vector<std::string>{"kept-1", "kept-2"});
  CHECK(fs::file_size(files[0]) == intact_size);
  REQUIRE(spool->append("after").ok());
  CHECK(contents(*spool) == std::vector<std::string>{"kept-1", "kept-2", "after"});
}

TEST_CASE("spool: a record whose bytes changed is not read back") {
  TempDir temp;
  const std::string dir = temp.path().string();
  {
    auto spool = open_spool(dir);
    REQUIRE(spool->append("good").ok());
    REQUIRE(spool->append("flipped").ok());
  }
  const auto file = segment_files(dir).at(0);
  {
    std::fstream f(file, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(static_cast<std::streamoff>(fs::file_size(file) - 1));
    f.put('X');  // the CRC no longer matches
  }
  auto spool = open_spool(dir);
  CHECK(contents(*spool) == std::vector<std::string>{"good"});
}

TEST_CASE("spool: full means refused with nothing written, and a commit makes room") {
  TempDir temp;
  auto spool = open_spool(temp.path().string(), /*max_bytes=*/3 * (8 + 10));
  const std::string ten(10, 'x');
  for (int i = 0; i < 3; ++i) REQUIRE(spool->append(ten).ok());
  const auto full = spool->append(ten);
  REQUIRE_FALSE(full.ok());
  CHECK(full.error().code() == ErrorCode::kResourceExhausted);
  CHECK(full.error().message().find("max_bytes") != std::string::npos);
  CHECK(spool->pending_records() == 3);
  auto records = spool->read(1);
  REQUIRE(records.ok());
  REQUIRE(spool->commit(records->front().position).ok());
  CHECK(spool->append(ten).ok());
}

TEST_CASE("spool: segments roll over, and forwarded ones are deleted") {
  TempDir temp;
  const std::string dir = temp.path().string();
  // 13-byte records; a segment rolls once it holds 40 bytes or more: 4 records each.
  auto spool = open_spool(dir, 1 << 20, /*segment_bytes=*/40);
  for (int i = 0; i < 10; ++i) REQUIRE(spool->append("rec-" + std::to_string(i)).ok());
  CHECK(segment_files(dir).size() == 3);  // 4 + 4 + 2
  auto records = spool->read(4);
  REQUIRE(records.ok());
  REQUIRE(records->size() == 4);
  REQUIRE(spool->commit(records->back().position).ok());
  CHECK(segment_files(dir).size() == 2);  // the first segment is all forwarded
  const std::vector<std::string> rest_expected{"rec-4", "rec-5", "rec-6",
                                               "rec-7", "rec-8", "rec-9"};
  CHECK(contents(*spool) == rest_expected);
  spool.reset();
  auto reopened = open_spool(dir, 1 << 20, 40);
  CHECK(contents(*reopened) == rest_expected);
  auto rest = reopened->read(10);
  REQUIRE(rest.ok());
  REQUIRE(reopened->commit(rest->back().position).ok());
  CHECK(reopened->pending_records() == 0);
  CHECK(reopened->pending_bytes() == 0);
  CHECK(segment_files(dir).size() == 1);  // the one being written stays
}

TEST_CASE("spool: one process at a time, and an unusable path says what to do") {
  TempDir temp;
  auto owner = open_spool(temp.path().string());
  auto second = Spool::open({temp.path().string(), 1 << 20, 1 << 20});
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().message().find("another process") != std::string::npos);

  const std::string file = temp.write("not-a-dir", "x");
  auto unusable = Spool::open({file + "/spool", 1 << 20, 1 << 20});
  REQUIRE_FALSE(unusable.ok());
  CHECK(unusable.error().code() == ErrorCode::kInvalidArgument);
  CHECK(unusable.error().message().find("max_bytes: 0") != std::string::npos);
}

}  // namespace
TEST_CASE("spool: concurrent appends (group commit) each land once, across segment roll-overs") {
  TempDir temp;
  const std::string dir = (temp.path() / "spool").string();
  constexpr int kThreads = 16, kEach = 100;
  {
    // Small segments, so roll-overs happen while other appends wait for their sync.
    auto spool = open_spool(dir, 1 << 24, 4096);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          if (!spool->append("t" + std::to_string(t) + "-" + std::to_string(i)).ok()) ++failures;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(failures.load() == 0);
    CHECK(spool->pending_records() == kThreads * kEach);
  }
  auto reopened = open_spool(dir, 1 << 24, 4096);
  const auto records = contents(*reopened, 100000);
  REQUIRE(records.size() == std::size_t{kThreads * kEach});
  std::set<std::string> unique(records.begin(), records.end());
  CHECK(unique.size() == records.size());
  // Each thread's records keep their order.
  std::map<std::string, int> next;
  for (const auto& r : records) {
    const auto dash = r.find('-');
    CHECK(std::stoi(r.substr(dash + 1)) == next[r.substr(0, dash)]++);
  }
}

}  // namespace aof::sidecar
