#include "common/event/body_codec.h"

#include <array>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "common/base/text_scan.h"

namespace aof::event {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::int8_t kInvalid = -1;

// Reverse lookup: byte → 6-bit value, kInvalid for anything outside the alphabet.
constexpr std::array<std::int8_t, 256> make_decode_table() {
  std::array<std::int8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (int i = 0; i < 64; ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}
constexpr auto kDecode = make_decode_table();

Error bad_base64(std::size_t offset, const char* what) {
  return Error(ErrorCode::kInvalidArgument,
               "invalid base64 at offset " + std::to_string(offset) + ": " + what);
}

std::size_t padding_of(std::string_view text) {
  if (text.size() >= 2 && text.substr(text.size() - 2) == "==") return 2;
  if (!text.empty() && text.back() == '=') return 1;
  return 0;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  std::size_t i = 0;
  while (true) {
    i = text_scan::ascii_end(bytes, i);  // ASCII runs a word at a time
    if (i == bytes.size()) return true;
    const std::size_t length = text_scan::utf8_sequence_length(bytes, i);
    if (length == 0) return false;
    i += length;
  }
}

std::string replace_invalid_utf8(std::string bytes) {
  if (is_valid_utf8(bytes)) return bytes;
  using Json = nlohmann::json;
  const auto quoted = Json(std::move(bytes)).dump(-1, ' ', false, Json::error_handler_t::replace);
  return Json::parse(quoted, nullptr, false).get<std::string>();
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto at = [&](std::size_t k) -> std::uint32_t {
    return k < bytes.size() ? static_cast<unsigned char>(bytes[k]) : 0;
  };
  for (; i < bytes.size(); i += 3) {
    const std::uint32_t group = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out += kAlphabet[(group >> 18) & 63];
    out += kAlphabet[(group >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(group >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[group & 63] : '=';
  }
  return out;
}

std::size_t base64_decoded_size(std::string_view text) {
  return text.size() / 4 * 3 - padding_of(text);
}

Result<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return Error(
        ErrorCode::kInvalidArgument,
        "invalid base64: length " + std::to_string(text.size()) + " is not a multiple of 4");
  }
  const std::size_t padding = padding_of(text);
  const std::size_t data_chars = text.size() - padding;
  std::string out;
  out.reserve(base64_decoded_size(text));
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (std::size_t i = 0; i < data_chars; ++i) {
    const std::int8_t value = kDecode[static_cast<unsigned char>(text[i])];
    if (value == kInvalid) return bad_base64(i, "not a base64 character");
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out += static_cast<char>((bits >> bit_count) & 0xFF);
    }
  }
  // Leftover bits exist only before padding; a canonical encoder leaves them zero.
  if ((bits & ((1u << bit_count) - 1)) != 0) {
    return bad_base64(data_chars - 1, "non-zero bits before the padding");
  }
  return out;
}

}  // namespace aof::event
