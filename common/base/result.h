#pragma once
// Result<T>: a value or an Error, shaped like std::expected. Used on every request and
// consume path instead of exceptions. Errors carry a closed ErrorCode that decides retries
// and exit codes, and a message that gains context as it rises (with_context).

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace aof {

enum class ErrorCode {
  kInvalidArgument,    // the input is wrong; retrying it will not help
  kNotFound,           // the named thing does not exist
  kUnauthenticated,    // a signature, token or key was refused
  kResourceExhausted,  // a limit was hit (size, space, quota, rate); may clear later
  kUnavailable,        // a dependency (broker, API) cannot be reached now
  kTimeout,            // a deadline passed
  kInternal,           // a bug or an unexpected state
};

const char* to_string(ErrorCode code);

// Whether an operation that failed with `code` may succeed if tried again later.
bool is_retryable(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns the same error with "context: " prepended to its message.
  Error with_context(const std::string& context) const {
    return Error(code_, context + ": " + message_);
  }

 private:
  ErrorCode code_;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() { return Status(); }

}  // namespace aof
