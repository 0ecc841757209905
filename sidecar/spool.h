#pragma once
// The local spool (DESIGN §5): where an accepted event waits when the broker did not confirm
// it in time. An append-only log of records (opaque bytes: the gateway stores envelope JSON)
// in segment files under one directory:
//   <dir>/segment-<20-digit sequence>.log   records: u32 length, u32 CRC-32, bytes (LE)
//   <dir>/cursor                            "<sequence> <offset>": what was forwarded
//   <dir>/lock                              flock'd by the one process using the spool
// append() returns only after the record and its file are fsync'd, so a record the gateway
// answered 202 for survives a crash of the process or the host. Records are read back in
// order and committed once the broker confirmed them; a segment whose records are all
// committed is deleted. A record torn by a crash during append (never answered) is cut off
// when the spool is opened. Bounded by max_bytes (records not yet committed, with their
// headers). Thread-safe; concurrent appends share fsyncs (group commit), each still
// returning only once its own record is durable.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/base/result.h"

namespace aof::sidecar {

struct SpoolOptions {
  std::string dir;                       // created if missing
  std::int64_t max_bytes = 1073741824;   // appends beyond this → kResourceExhausted
  std::int64_t segment_bytes = 8388608;  // a new segment file starts past this size
};

// Where a record ends: commit(position) marks it and everything before it forwarded.
struct SpoolPosition {
  std::uint64_t segment = 0;
  std::int64_t end = 0;  // offset just past the record in its segment
};

struct SpoolRecord {
  std::string bytes;
  SpoolPosition position;
};

class Spool {
 public:
  // Opens (creating the directory if needed) and reads what an earlier run left: the
  // records after the cursor are pending again. Errors: kInvalidArgument when the directory
  // cannot be created, written or fsync'd, or another process holds it (the message names
  // it and says what to change).
  static Result<std::unique_ptr<Spool>> open(const SpoolOptions& options);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends one record durably. kResourceExhausted when it would take the spool past
  // max_bytes; kUnavailable on an I/O error (a full disk): nothing was appended then.
  Status append(std::string_view bytes);

  // Up to `max` of the oldest uncommitted records, in append order; records already handed
  // out by an earlier read and not yet committed are read again.
  Result<std::vector<SpoolRecord>> read(std::size_t max);

  // Marks every record up to `position` forwarded (durably) and deletes finished segments.
  Status commit(const SpoolPosition& position);

  std::int64_t pending_bytes() const;    // uncommitted records with their headers
  std::int64_t pending_records() const;  // how many
  bool has_room() const;                 // whether a small record still fits
  const std::string& dir() const;

 private:
  class Impl;
  explicit Spool(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace aof::sidecar
