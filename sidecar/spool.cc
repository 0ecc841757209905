#include "sidecar/spool.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "common/base/log.h"

namespace aof::sidecar {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kHeaderBytes = 8;  // u32 length + u32 CRC-32, little-endian
// A record larger than this is corruption, not data: the gateway's bodies are capped far
// lower (gateway.max_body_bytes), and it keeps a torn length from allocating gigabytes.
constexpr std::uint32_t kMaxRecordBytes = 256u << 20;
constexpr const char* kSegmentPrefix = "segment-";
constexpr const char* kSegmentSuffix = ".log";

std::string segment_name(std::uint64_t sequence) {
  char name[64];
  std::snprintf(name, sizeof name, "%s%020llu%s", kSegmentPrefix,
                static_cast<unsigned long long>(sequence), kSegmentSuffix);
  return name;
}

// The sequence of a segment file name, or 0 for any other file.
std::uint64_t segment_sequence(const std::string& name) {
  const std::string prefix = kSegmentPrefix, suffix = kSegmentSuffix;
  if (name.size() != prefix.size() + 20 + suffix.size() || !name.starts_with(prefix) ||
      !name.ends_with(suffix)) {
    return 0;
  }
  std::uint64_t sequence = 0;
  for (char c : name.substr(prefix.size(), 20)) {
    if (c < '0' || c > '9') return 0;
    sequence = sequence * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return sequence;
}

std::uint32_t crc_of(std::string_view bytes) {
  return static_cast<std::uint32_t>(
      ::crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

void put_u32(char* out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

std::uint32_t get_u32(const char* in) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= std::uint32_t(static_cast<unsigned char>(in[i])) << (8 * i);
  return value;
}

std::string errno_text() { return std::strerror(errno); }

bool read_exact(int fd, char* out, std::size_t size, std::int64_t offset) {
  while (size > 0) {
    const ssize_t n = ::pread(fd, out, size, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    out += n;
    size -= static_cast<std::size_t>(n);
    offset += n;
  }
  return true;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool fsync_dir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

// One record read at `offset` of an open segment: its payload and where it ends, or nullopt
// when what is there is not a whole, intact record (end of data, torn or corrupt).
std::optional<std::pair<std::string, std::int64_t>> read_record(int fd, std::int64_t offset,
                                                                std::int64_t size) {
  if (size - offset < kHeaderBytes) return std::nullopt;
  char header[kHeaderBytes];
  if (!read_exact(fd, header, kHeaderBytes, offset)) return std::nullopt;
  const std::uint32_t length = get_u32(header);
  if (length > kMaxRecordBytes || size - offset - kHeaderBytes < std::int64_t(length)) {
    return std::nullopt;
  }
  std::string bytes(length, '\0');
  if (!read_exact(fd, bytes.data(), length, offset + kHeaderBytes)) return std::nullopt;
  if (crc_of(bytes) != get_u32(header + 4)) return std::nullopt;
  return std::make_pair(std::move(bytes), offset + kHeaderBytes + std::int64_t(length));
}

Error disk_error(const std::string& what) {
  return Error(ErrorCode::kUnavailable, "spool: " + what + " — is the disk full?");
}

}  // namespace

class Spool::Impl {
 public:
  explicit Impl(SpoolOptions options) : options_(std::move(options)) {}
  ~Impl() {
    for (auto& [sequence, segment] : segments_) {
      if (segment.fd >= 0) ::close(segment.fd);
    }
    if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
  }

  Status open() {
    std::error_code ec;
    fs::create_directories(options_.dir, ec);
    if (ec) return unusable("cannot create it: " + ec.message());
    // Two sidecars appending to one spool would interleave records: one owner at a time.
    const std::string lock_path = (fs::path(options_.dir) / "lock").string();
    lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd_ < 0) return unusable("cannot open " + lock_path + ": " + errno_text());
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
      return unusable("another process is using it (" + lock_path +
                      " is locked); every sidecar needs a spool directory of its own");
    }
    for (const auto& entry : fs::directory_iterator(options_.dir, ec)) {
      if (const auto sequence = segment_sequence(entry.path().filename()); sequence > 0) {
        segments_[sequence] = Segment{};
      }
    }
    if (ec) return unusable("cannot list it: " + ec.message());
    read_cursor();
    // Segments before the cursor were forwarded; a crash came between commit and delete.
    while (!segments_.empty() && segments_.begin()->first < cursor_.segment) {
      remove_segment(segments_.begin()->first);
    }
    for (auto& [sequence, segment] : segments_) {
      if (auto scanned = scan(sequence, segment); !scanned.ok()) return scanned;
    }
    if (segments_.empty() || segments_.rbegin()->second.size >= options_.segment_bytes) {
      if (auto started = start_segment(); !started.ok()) return unusable(started.error().message());
    }
    if (pending_records_ > 0) {
      log::get(log::Component::kSidecar)
          ->warn("spool {}: {} event(s) ({} bytes) from an earlier run wait to be forwarded",
                 options_.dir, pending_records_, pending_bytes_);
    }
    return ok_status();
  }

  // Group commit: the record is written under the lock, then one appender (the leader)
  // fdatasyncs for every record written so far while the others wait for it; each returns
  // once a sync that began after its write has finished. Concurrent appends share one sync
  // instead of queueing for one each (the spool path measured 800 webhooks/s that way).
  Status append(std::string_view bytes) {
    const std::int64_t record_bytes = kHeaderBytes + std::int64_t(bytes.size());
    std::unique_lock lock(mu_);
    if (pending_bytes_ + record_bytes > options_.max_bytes) {
      return Error(ErrorCode::kResourceExhausted,
                   "spool " + options_.dir + " is full (gateway.spool.max_bytes " +
                       std::to_string(options_.max_bytes) + "): the broker has been away long " +
                       "enough to fill it; bring the broker back or raise max_bytes");
    }
    if (segments_.rbegin()->second.size >= options_.segment_bytes) {
      // Records of the full segment may still wait for their sync: it follows them there.
      if (::fdatasync(segments_.rbegin()->second.fd) != 0) {
        return disk_error("syncing " + path_of(segments_.rbegin()->first) + ": " + errno_text());
      }
      if (auto started = start_segment(); !started.ok()) return started;
    }
    auto& [sequence, segment] = *segments_.rbegin();
    std::string record(kHeaderBytes, '\0');
    put_u32(record.data(), static_cast<std::uint32_t>(bytes.size()));
    put_u32(record.data() + 4, crc_of(bytes));
    record.append(bytes);
    // Undo a partial write, so the next record does not start inside this one.
    if (!write_all(segment.fd, record.data(), record.size())) {
      const std::string why = errno_text();
      if (::ftruncate(segment.fd, segment.size) != 0 || ::lseek(segment.fd, 0, SEEK_END) < 0) {
        segment.size = options_.segment_bytes;  // unknown tail: write the next in a new segment
      }
      return disk_error("writing " + path_of(sequence) + ": " + why);
    }
    segment.size += record_bytes;
    pending_bytes_ += record_bytes;
    ++pending_records_;
    const std::uint64_t written_to = sequence;  // the map entry may go while we wait
    const std::uint64_t mine = ++written_;
    while (synced_ < mine) {
      if (syncing_) {
        synced_changed_.wait(lock);
        continue;
      }
      syncing_ = true;
      const std::uint64_t target = written_;
      // A duplicate descriptor: commit() may close the segment's own while we sync.
      const int fd = ::dup(segments_.rbegin()->second.fd);
      lock.unlock();
      const bool synced = fd >= 0 && ::fdatasync(fd) == 0;
      const std::string why = synced ? "" : errno_text();
      if (fd >= 0) ::close(fd);
      lock.lock();
      syncing_ = false;
      if (!synced) {
        failed_from_ = synced_ + 1;
        failed_to_ = target;
        failed_why_ = why;
      }
      synced_ = target;
      synced_changed_.notify_all();
    }
    if (mine >= failed_from_ && mine <= failed_to_) {
      // Written but perhaps not durable: not accepted. It may still be forwarded; the
      // provider's retry is then a duplicate, which dedup answers.
      return disk_error("syncing " + path_of(written_to) + ": " + failed_why_);
    }
    return ok_status();
  }

  Result<std::vector<SpoolRecord>> read(std::size_t max) {
    std::lock_guard lock(mu_);
    std::vector<SpoolRecord> records;
    for (auto it = segments_.lower_bound(cursor_.segment);
         it != segments_.end() && records.size() < max; ++it) {
      std::int64_t offset = it->first == cursor_.segment ? cursor_.end : 0;
      while (records.size() < max) {
        auto record = read_record(it->second.fd, offset, it->second.size);
        if (!record) break;
        offset = record->second;
        records.push_back(SpoolRecord{std::move(record->first), {it->first, offset}});
      }
      if (offset < it->second.size && records.size() < max) {
        return Error(ErrorCode::kInternal, "spool: " + path_of(it->first) + " unreadable at " +
                                               std::to_string(offset));
      }
    }
    return records;
  }

  Status commit(const SpoolPosition& position) {
    std::lock_guard lock(mu_);
    std::int64_t bytes = 0, records = 0;
    count_between(cursor_, position, bytes, records);
    if (auto written = write_cursor(position); !written.ok()) return written;
    cursor_ = position;
    pending_bytes_ -= bytes;
    pending_records_ -= records;
    // Finished segments go; the one being written stays even when fully forwarded.
    while (segments_.size() > 1 &&
           (segments_.begin()->first < cursor_.segment ||
            (segments_.begin()->first == cursor_.segment &&
             cursor_.end >= segments_.begin()->second.size))) {
      remove_segment(segments_.begin()->first);
    }
    return ok_status();
  }

  std::int64_t pending_bytes() const {
    std::lock_guard lock(mu_);
    return pending_bytes_;
  }
  std::int64_t pending_records() const {
    std::lock_guard lock(mu_);
    return pending_records_;
  }
  bool has_room() const {
    std::lock_guard lock(mu_);
    return pending_bytes_ + 65536 <= options_.max_bytes;
  }
  const std::string& dir() const { return options_.dir; }

 private:
  struct Segment {
    int fd = -1;
    std::int64_t size = 0;
  };

  std::string path_of(std::uint64_t sequence) const {
    return (fs::path(options_.dir) / segment_name(sequence)).string();
  }
  std::string cursor_path() const { return (fs::path(options_.dir) / "cursor").string(); }

  Error unusable(const std::string& why) const {
    return Error(ErrorCode::kInvalidArgument,
                 "gateway.spool.path " + options_.dir + ": " + why +
                     " — point it at a writable directory on a persistent volume, or set "
                     "gateway.spool.max_bytes: 0 to run without a spool");
  }

  void read_cursor() {
    std::ifstream in(cursor_path());
    unsigned long long sequence = 0;
    long long end = 0;
    if (in >> sequence >> end && end >= 0) cursor_ = SpoolPosition{sequence, end};
  }

  // Writes the cursor durably: a temp file, fsync, rename over the old one, fsync the dir.
  Status write_cursor(const SpoolPosition& position) {
    const std::string temp = cursor_path() + ".tmp";
    const std::string text = std::to_string(position.segment) + " " + std::to_string(position.end);
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && write_all(fd, text.data(), text.size()) && ::fsync(fd) == 0;
    const std::string why = errno_text();
    if (fd >= 0) ::close(fd);
    ok = ok && ::rename(temp.c_str(), cursor_path().c_str()) == 0 && fsync_dir(options_.dir);
    if (!ok) {
      return Error(ErrorCode::kUnavailable,
                   "spool: writing " + cursor_path() + ": " + why + " — is the disk full?");
    }
    return ok_status();
  }

  // Opens a segment, validates its records from the cursor on and cuts off a torn tail.
  Status scan(std::uint64_t sequence, Segment& segment) {
    const std::string path = path_of(sequence);
    segment.fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
    if (segment.fd < 0) return unusable("cannot open " + path + ": " + errno_text());
    struct stat info {};
    if (::fstat(segment.fd, &info) != 0) return unusable("cannot stat " + path + ": " + errno_text());
    segment.size = info.st_size;
    std::int64_t offset = sequence == cursor_.segment ? std::min(cursor_.end, segment.size) : 0;
    while (auto record = read_record(segment.fd, offset, segment.size)) {
      offset = record->second;
      pending_bytes_ += kHeaderBytes + std::int64_t(record->first.size());
      ++pending_records_;
    }
    if (offset < segment.size) {
      // Only the last record of the last segment can be torn by a crash (it was never
      // answered); anything else is damage, and what follows it cannot be trusted.
      log::get(log::Component::kSidecar)
          ->warn("spool {}: cutting {} unreadable bytes at offset {} (a record torn by a crash "
                 "while it was written, or damage)",
                 path, segment.size - offset, offset);
      if (::ftruncate(segment.fd, offset) != 0 || ::fsync(segment.fd) != 0) {
        return unusable("cannot truncate " + path + ": " + errno_text());
      }
      segment.size = offset;
    }
    return ok_status();
  }

  Status start_segment() {
    const std::uint64_t sequence =
        std::max<std::uint64_t>(segments_.empty() ? 0 : segments_.rbegin()->first, cursor_.segment) + 1;
    const std::string path = path_of(sequence);
    const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || !fsync_dir(options_.dir)) {
      const std::string why = errno_text();
      if (fd >= 0) ::close(fd);
      return Error(ErrorCode::kUnavailable, "spool: creating " + path + ": " + why);
    }
    segments_[sequence] = Segment{fd, 0};
    return ok_status();
  }

  void remove_segment(std::uint64_t sequence) {
    auto it = segments_.find(sequence);
    if (it->second.fd >= 0) ::close(it->second.fd);
    std::error_code ignored;  // a leftover file is deleted at the next open
    fs::remove(path_of(sequence), ignored);
    segments_.erase(it);
  }

  // Bytes and records from `from` up to `to` (header reads only).
  void count_between(const SpoolPosition& from, const SpoolPosition& to, std::int64_t& bytes,
                     std::int64_t& records) {
    for (auto it = segments_.lower_bound(from.segment); it != segments_.end() && it->first <= to.segment;
         ++it) {
      std::int64_t offset = it->first == from.segment ? from.end : 0;
      const std::int64_t stop = it->first == to.segment ? to.end : it->second.size;
      while (offset + kHeaderBytes <= stop) {
        char header[kHeaderBytes];
        if (!read_exact(it->second.fd, header, kHeaderBytes, offset)) break;
        const std::int64_t record_bytes = kHeaderBytes + get_u32(header);
        offset += record_bytes;
        bytes += record_bytes;
        ++records;
      }
    }
  }

  const SpoolOptions options_;
  int lock_fd_ = -1;
  mutable std::mutex mu_;
  std::map<std::uint64_t, Segment> segments_;  // guarded by mu_ (after open)
  SpoolPosition cursor_;                       // guarded by mu_: forwarded up to here
  std::int64_t pending_bytes_ = 0;             // guarded by mu_
  std::int64_t pending_records_ = 0;           // guarded by mu_
  // Group commit, guarded by mu_: records written and synced (counts since open), whether a
  // sync is running, and the records of the last failed sync.
  std::uint64_t written_ = 0;
  std::uint64_t synced_ = 0;
  bool syncing_ = false;
  std::condition_variable synced_changed_;
  std::uint64_t failed_from_ = 1, failed_to_ = 0;  // empty range
  std::string failed_why_;
};

Result<std::unique_ptr<Spool>> Spool::open(const SpoolOptions& options) {
  auto impl = std::make_unique<Impl>(options);
  if (auto opened = impl->open(); !opened.ok()) return opened.error();
  return std::unique_ptr<Spool>(new Spool(std::move(impl)));
}

Spool::Spool(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Spool::~Spool() = default;

Status Spool::append(std::string_view bytes) { return impl_->append(bytes); }
Result<std::vector<SpoolRecord>> Spool::read(std::size_t max) { return impl_->read(max); }
Status Spool::commit(const SpoolPosition& position) { return impl_->commit(position); }
std::int64_t Spool::pending_bytes() const { return impl_->pending_bytes(); }
std::int64_t Spool::pending_records() const { return impl_->pending_records(); }
bool Spool::has_room() const { return impl_->has_room(); }
const std::string& Spool::dir() const { return impl_->dir(); }

}  // namespace aof::sidecar
