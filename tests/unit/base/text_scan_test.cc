#include <doctest/doctest.h>

#include <random>
#include <string>

#include "common/base/text_scan.h"

namespace aof::text_scan {
namespace {

std::size_t naive_ascii_end(std::string_view s, std::size_t from) {
  while (from < s.size() && static_cast<unsigned char>(s[from]) < 0x80) ++from;
  return from;
}

std::size_t naive_json_plain_end(std::string_view s, std::size_t from, bool non_ascii) {
  for (; from < s.size(); ++from) {
    const auto c = static_cast<unsigned char>(s[from]);
    if (c < 0x20 || c == '"' || c == '\\' || (non_ascii && c >= 0x80)) break;
  }
  return from;
}

TEST_CASE("word-at-a-time scans stop where a byte-wise scan stops") {
  // Mostly plain text with rare stop bytes at every position of a word, every byte value
  // included, from every start offset: borrows between bytes must never hide or invent a stop.
  std::mt19937 rng(7);
  for (int round = 0; round < 4000; ++round) {
    std::string s(1 + rng() % 40, 'a');
    for (char& c : s) {
      if (rng() % 6 == 0) c = static_cast<char>(rng() % 256);
    }
    for (std::size_t from = 0; from <= s.size(); ++from) {
      CAPTURE(s);
      CAPTURE(from);
      CHECK(ascii_end(s, from) == naive_ascii_end(s, from));
      CHECK(json_plain_end(s, from, true) == naive_json_plain_end(s, from, true));
      CHECK(json_plain_end(s, from, false) == naive_json_plain_end(s, from, false));
    }
  }
}

TEST_CASE("each stop byte is found at each position of a word") {
  for (const int stop : {0x00, 0x01, 0x1f, 0x22, 0x5c, 0x80, 0xff}) {  // 0x22 '"', 0x5c '\\'
    for (std::size_t at = 0; at < 17; ++at) {
      std::string s(17, ' ');
      s[at] = static_cast<char>(stop);
      s[(at + 1) % 17] = '\x20';  // the smallest byte that is not a stop, next to it
      const bool json_stop = stop < 0x80;
      CHECK(json_plain_end(s, 0, false) == (json_stop ? at : s.size()));
      CHECK(json_plain_end(s, 0, true) == at);
      CHECK(ascii_end(s, 0) == (stop >= 0x80 ? at : s.size()));
    }
  }
}

}  // namespace
}  // namespace aof::text_scan
