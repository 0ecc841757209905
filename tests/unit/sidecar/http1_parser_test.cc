// The incremental HTTP/1.1 request parser (sidecar/http1/): each rule of the grammar, the
// limits and the smuggling defences with the exact status a server must send, split-anywhere
// equivalence, pipelining, and a large body in small pieces (linear work).
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "sidecar/http1/request_parser.h"

namespace aof::sidecar::http1 {
namespace {

// What one parse ended with.
struct Outcome {
  Phase phase = Phase::kHead;
  int status = 0;
  std::string error;
  Request request;
  std::string rest;  // bytes not consumed
};

// Feeds `pieces` in order as a server would: unconsumed bytes are kept and fed again with the
// next piece. Checks the contract on the way: never more consumed than given, nothing after
// kComplete or kError.
Outcome feed_pieces(const std::vector<std::string>& pieces, Limits limits = {}) {
  RequestParser parser(limits);
  std::string pending;
  for (const std::string& piece : pieces) {
    pending += piece;
    const Phase before = parser.phase();
    const std::size_t consumed = parser.feed(pending);
    REQUIRE(consumed <= pending.size());
    if (before == Phase::kComplete || before == Phase::kError) REQUIRE(consumed == 0);
    pending.erase(0, consumed);
  }
  Outcome out{parser.phase(), parser.error_status(), parser.error(), {}, pending};
  if (parser.phase() == Phase::kComplete) out.request = parser.take();
  return out;
}

Outcome parse(std::string_view text, Limits limits = {}) {
  return feed_pieces({std::string(text)}, limits);
}

// 0 when complete, the error status when refused, -1 when still waiting for bytes.
int status_of(std::string_view text, Limits limits = {}) {
  const Outcome out = parse(text, limits);
  if (out.phase == Phase::kComplete) return 0;
  if (out.phase == Phase::kError) return out.status;
  return -1;
}

std::vector<std::string> bytewise(std::string_view text) {
  std::vector<std::string> pieces;
  for (const char c : text) pieces.emplace_back(1, c);
  return pieces;
}

void check_same(const Request& a, const Request& b) {
  CHECK(a.method == b.method);
  CHECK(a.target == b.target);
  CHECK(a.path == b.path);
  CHECK(a.query == b.query);
  CHECK(a.minor_version == b.minor_version);
  CHECK(a.headers == b.headers);
  CHECK(a.body == b.body);
  CHECK(a.keep_alive == b.keep_alive);
  CHECK(a.expect_continue == b.expect_continue);
  CHECK(a.content_length == b.content_length);
  CHECK(a.chunked == b.chunked);
}

// Every split into two pieces, and byte by byte, gives the one-piece result.
void check_split_anywhere(std::string_view text) {
  const Outcome whole = parse(text);
  REQUIRE(whole.phase == Phase::kComplete);
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    CAPTURE(cut);
    const Outcome split =
        feed_pieces({std::string(text.substr(0, cut)), std::string(text.substr(cut))});
    REQUIRE(split.phase == Phase::kComplete);
    check_same(split.request, whole.request);
  }
  const Outcome bytes = feed_pieces(bytewise(text));
  REQUIRE(bytes.phase == Phase::kComplete);
  check_same(bytes.request, whole.request);
}

using Headers = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("http1: a GET without a body is complete after the empty line") {
  const Outcome out = parse("GET /webhook/github?x=1&y=%41 HTTP/1.1\r\nHost: example.com\r\n\r\n");
  REQUIRE(out.phase == Phase::kComplete);
  CHECK(out.rest.empty());
  CHECK(out.request.method == "GET");
  CHECK(out.request.target == "/webhook/github?x=1&y=%41");
  CHECK(out.request.path == "/webhook/github");
  CHECK(out.request.query == "x=1&y=%41");
  CHECK(out.request.minor_version == 1);
  CHECK(out.request.headers == Headers{{"host", "example.com"}});
  CHECK(out.request.body.empty());
  CHECK(out.request.keep_alive);
  CHECK_FALSE(out.request.expect_continue);
  CHECK(out.request.content_length == -1);
  CHECK_FALSE(out.request.chunked);
}

TEST_CASE("http1: a POST with Content-Length reads exactly that many bytes") {
  const Outcome out = parse(
      "POST /hook HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
      "Content-Length: 13\r\n\r\n{\"a\":\"hello\"}");
  REQUIRE(out.phase == Phase::kComplete);
  CHECK(out.request.body == "{\"a\":\"hello\"}");
  CHECK(out.request.content_length == 13);
  CHECK(out.request.path == "/hook");
  CHECK(out.request.query.empty());
}

TEST_CASE("http1: the path is percent-decoded, '+' kept, the raw target kept") {
  const Outcome out = parse("GET /a%20b+c/%7e%zz? HTTP/1.1\r\nHost: h\r\n\r\n");
  REQUIRE(out.phase == Phase::kComplete);
  CHECK(out.request.target == "/a%20b+c/%7e%zz?");
  CHECK(out.request.path == "/a b+c/~%zz");
  CHECK(out.request.query.empty());
}

TEST_CASE("http1: the head is known before the body arrives") {
  RequestParser parser(Limits{});
  const std::string head =
      "POST /p HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 5\r\n\r\n";
  CHECK(parser.feed(head) == head.size());
  CHECK(parser.phase() == Phase::kBody);
  CHECK(parser.head_complete());
  CHECK(parser.request().content_length == 5);
  CHECK(parser.request().expect_continue);
  CHECK(parser.feed("ab") == 2);
  CHECK(parser.phase() == Phase::kBody);
  CHECK(parser.feed("cdeXYZ") == 3);
  CHECK(parser.phase() == Phase::kComplete);
  CHECK(parser.request().body == "abcde");
}

TEST_CASE("http1: pipelined requests are parsed one at a time") {
  const std::string first = "POST /one HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc";
  const std::string second = "GET /two HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
  const std::string both = first + second;
  RequestParser parser(Limits{});
  const std::size_t consumed = parser.feed(both);
  CHECK(consumed == first.size());
  REQUIRE(parser.phase() == Phase::kComplete);
  CHECK(parser.feed(std::string_view(both).substr(consumed)) == 0);  // done until reset
  const Request one = parser.take();
  CHECK(one.path == "/one");
  CHECK(one.body == "abc");
  CHECK(parser.request().path.empty());  // moved out
  parser.reset();
  CHECK(parser.phase() == Phase::kHead);
  CHECK_FALSE(parser.head_complete());
  CHECK(parser.feed(std::string_view(both).substr(consumed)) == second.size());
  REQUIRE(parser.phase() == Phase::kComplete);
  const Request two = parser.take();
  CHECK(two.path == "/two");
  CHECK(two.body.empty());
  CHECK_FALSE(two.keep_alive);
}

TEST_CASE("http1: chunked with extensions and trailers is decoded, trailers dropped") {
  const Outcome out = parse(
      "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n"
      "6 ; a=\"q\" ;b\r\n world\r\n"
      "A\r\n0123456789\r\n"
      "0;last\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n"
      "GET /next");
  REQUIRE(out.phase == Phase::kComplete);
  CHECK(out.request.body == "hello world0123456789");
  CHECK(out.request.chunked);
  CHECK(out.request.content_length == -1);
  CHECK(out.request.headers == Headers{{"host", "h"}, {"transfer-encoding", "chunked"}});
  CHECK(out.rest == "GET /next");
}

TEST_CASE("http1: split at every position gives the same request") {
  SUBCASE("content-length") {
    check_split_anywhere(
        "\r\nPOST /w/%41?q=1 HTTP/1.1\r\nHost: h\r\nX-A:  v  \r\nContent-Length: 10\r\n\r\n"
        "0123456789");
  }
  SUBCASE("chunked") {
    check_split_anywhere(
        "POST /c HTTP/1.1\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        "3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n");
    CHECK(parse("POST /c HTTP/1.1\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                "3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n")
              .request.body == "abc0123456789abcdef");
  }
}

TEST_CASE("http1: a 5 MiB body in 4 KiB pieces completes in one pass") {
  const std::size_t size = 5 * 1024 * 1024;
  std::string body(size, 'x');
  for (std::size_t i = 0; i < size; i += 997) body[i] = static_cast<char>('a' + i % 26);
  SUBCASE("content-length") {
    std::string text = "POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(size) +
                       "\r\n\r\n" + body;
    std::vector<std::string> pieces;
    for (std::size_t i = 0; i < text.size(); i += 4096) pieces.push_back(text.substr(i, 4096));
    const Outcome out = feed_pieces(pieces);
    REQUIRE(out.phase == Phase::kComplete);
    CHECK(out.request.body == body);
  }
  SUBCASE("chunked, 1000-byte chunks") {
    std::string text = "POST /big HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (std::size_t i = 0; i < size; i += 1000) {
      const std::string chunk = body.substr(i, 1000);
      char hex[32];
      std::snprintf(hex, sizeof hex, "%zx", chunk.size());
      text += std::string(hex) + "\r\n" + chunk + "\r\n";
    }
    text += "0\r\n\r\n";
    std::vector<std::string> pieces;
    for (std::size_t i = 0; i < text.size(); i += 4096) pieces.push_back(text.substr(i, 4096));
    const Outcome out = feed_pieces(pieces);
    REQUIRE(out.phase == Phase::kComplete);
    CHECK(out.request.body == body);
  }
}

TEST_CASE("http1: up to 4 empty lines before the request line, bare LF accepted") {
  CHECK(status_of("\r\n\n\r\n\nGET / HTTP/1.1\nHost: h\n\n") == 0);
  CHECK(status_of("\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n") == 400);
  const Outcome out = parse("GET /lf HTTP/1.0\nA: 1\n\n");
  REQUIRE(out.phase == Phase::kComplete);
  CHECK(out.request.headers == Headers{{"a", "1"}});
  CHECK(out.request.minor_version == 0);
}

TEST_CASE("http1: request line grammar") {
  const std::string host = "\r\nHost: h\r\n\r\n";
  CHECK(status_of("GET / HTTP/1.1" + host) == 0);
  CHECK(status_of("get / HTTP/1.1" + host) == 0);  // methods are case-sensitive tokens
  CHECK(parse("get / HTTP/1.1" + host).request.method == "get");
  CHECK(status_of("G@T / HTTP/1.1" + host) == 400);   // not a token
  CHECK(status_of(" GET / HTTP/1.1" + host) == 400);  // empty method
  CHECK(status_of("GET  / HTTP/1.1" + host) == 400);  // two spaces
  CHECK(status_of("GET /  HTTP/1.1" + host) == 400);
  CHECK(status_of("GET / HTTP/1.1 " + host) == 400);
  CHECK(status_of("GET\t/ HTTP/1.1" + host) == 400);
  CHECK(status_of("GET /" + host) == 400);                // no version
  CHECK(status_of("GET /a\x01 HTTP/1.1" + host) == 400);  // control char in target
  CHECK(status_of("GET /a\x7f HTTP/1.1" + host) == 400);
  CHECK(status_of("GET /\xc3\xa9 HTTP/1.1" + host) == 400);  // non-ASCII target
  CHECK(status_of("GET /a\rb HTTP/1.1" + host) == 400);      // bare CR
  CHECK(status_of("GET / HTTP/1.1\r\r\nHost: h\r\n\r\n") == 400);
  CHECK(status_of("GET a HTTP/1.1" + host) == 400);    // not origin-form
  CHECK(status_of("GET /#f HTTP/1.1" + host) == 400);  // fragment
  CHECK(status_of("CONNECT example.com:443 HTTP/1.1" + host) == 400);
}

TEST_CASE("http1: '*' only for OPTIONS, absolute-form gives its path") {
  const std::string host = "\r\nHost: h\r\n\r\n";
  const Outcome star = parse("OPTIONS * HTTP/1.1" + host);
  REQUIRE(star.phase == Phase::kComplete);
  CHECK(star.request.path == "*");
  CHECK(status_of("GET * HTTP/1.1" + host) == 400);
  const Outcome absolute = parse("POST http://example.com:8080/hook/%61?x=1 HTTP/1.1" + host);
  REQUIRE(absolute.phase == Phase::kComplete);
  CHECK(absolute.request.target == "http://example.com:8080/hook/%61?x=1");
  CHECK(absolute.request.path == "/hook/a");
  CHECK(absolute.request.query == "x=1");
  CHECK(parse("GET HTTPS://example.com HTTP/1.1" + host).request.path == "/");
  CHECK(parse("GET http://example.com?q HTTP/1.1" + host).request.query == "q");
  CHECK(parse("GET http://example.com?q HTTP/1.1" + host).request.path == "/");
  CHECK(status_of("GET http:///x HTTP/1.1" + host) == 400);
  CHECK(status_of("GET ftp://example.com/ HTTP/1.1" + host) == 400);
}

TEST_CASE("http1: versions other than 1.0 and 1.1 are 505, malformed ones 400") {
  const std::string host = "\r\nHost: h\r\n\r\n";
  CHECK(status_of("GET / HTTP/1.0\r\n\r\n") == 0);
  CHECK(status_of("GET / HTTP/2.0" + host) == 505);
  CHECK(status_of("GET / HTTP/1.2" + host) == 505);
  CHECK(status_of("GET / HTTP/0.9" + host) == 505);
  CHECK(status_of("GET / HTTP/1" + host) == 400);
  CHECK(status_of("GET / HTTP/1.10" + host) == 400);
  CHECK(status_of("GET / http/1.1" + host) == 400);
  CHECK(status_of("GET / HTTP/1.x" + host) == 400);
}

TEST_CASE("http1: an over-long request line is 414 before its end arrives") {
  Limits limits;
  limits.max_request_line_bytes = 32;
  // "GET " + "/" + 18 + " HTTP/1.1" = 32 bytes exactly.
  CHECK(status_of("GET /" + std::string(18, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n", limits) == 0);
  CHECK(status_of("GET /" + std::string(19, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n", limits) == 414);
  RequestParser parser(limits);
  const std::string no_end = "GET /" + std::string(100, 'a');
  parser.feed(no_end);
  CHECK(parser.phase() == Phase::kError);
  CHECK(parser.error_status() == 414);
  CHECK(parser.error() == "request line too long");
  CHECK(parser.feed("more") == 0);
}

TEST_CASE("http1: header field grammar") {
  const std::string line = "GET / HTTP/1.1\r\nHost: h\r\n";
  CHECK(status_of(line + "A: b\r\n\r\n") == 0);
  CHECK(status_of(line + "A:b\r\n\r\n") == 0);
  CHECK(status_of(line + "A:\r\n\r\n") == 0);  // empty value
  const Outcome no_colon = parse(line + "Just text\r\n\r\n");
  CHECK(no_colon.status == 400);
  CHECK(no_colon.error == "header line without ':'");
  CHECK(parse(line + "A : b\r\n\r\n").error == "whitespace before ':'");
  CHECK(status_of(line + "A : b\r\n\r\n") == 400);
  CHECK(status_of(line + "A\t: b\r\n\r\n") == 400);
  CHECK(status_of(line + ": b\r\n\r\n") == 400);
  CHECK(status_of(line + "A(b): c\r\n\r\n") == 400);     // name not a token
  CHECK(status_of(line + "A: b\r\n c\r\n\r\n") == 400);  // obsolete folding
  CHECK(parse(line + "A: b\r\n\tc\r\n\r\n").error == "obsolete header line folding");
  CHECK(status_of(line + std::string("A: b\0c\r\n\r\n", 10)) == 400);
  CHECK(status_of(line + "A: b\rc\r\n\r\n") == 400);
  CHECK(status_of(line + "A: b\x7f\r\n\r\n") == 400);
  CHECK(status_of(line + "A: b\x01\r\n\r\n") == 400);
  const Outcome obs = parse(line + "A: caf\xc3\xa9\tx\r\n\r\n");
  REQUIRE(obs.phase == Phase::kComplete);
  CHECK(obs.request.headers[1].second == "caf\xc3\xa9\tx");
}

TEST_CASE("http1: header names are lower-cased and values trimmed, in order") {
  const Outcome out = parse(
      "GET / HTTP/1.1\r\nHOST: h\r\nX-Hub-Signature-256: \t sha256=ab cd \t \r\n"
      "x-a: 1\r\nX-A: 2\r\nEmpty:   \r\n\r\n");
  REQUIRE(out.phase == Phase::kComplete);
  CHECK(out.request.headers == Headers{{"host", "h"},
                                       {"x-hub-signature-256", "sha256=ab cd"},
                                       {"x-a", "1"},
                                       {"x-a", "2"},
                                       {"empty", ""}});
}

TEST_CASE("http1: header section limits are 431, found before the end arrives") {
  Limits limits;
  limits.max_header_bytes = 64;
  limits.max_headers = 3;
  const std::string line = "GET / HTTP/1.1\r\n";
  // "Host: h" is 7 bytes; 7 + 57 = 64 exactly fits.
  CHECK(status_of(line + "Host: h\r\nX: " + std::string(54, 'v') + "\r\n\r\n", limits) == 0);
  CHECK(status_of(line + "Host: h\r\nX: " + std::string(55, 'v') + "\r\n\r\n", limits) == 431);
  RequestParser parser(limits);
  parser.feed(line + "Host: h\r\nX: " + std::string(1000, 'v'));
  CHECK(parser.phase() == Phase::kError);
  CHECK(parser.error_status() == 431);
  CHECK(status_of(line + "Host: h\r\nA: 1\r\nB: 2\r\n\r\n", limits) == 0);
  CHECK(status_of(line + "Host: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits) == 431);
  CHECK(parse(line + "Host: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits).error ==
        "too many header fields");
}

TEST_CASE("http1: Transfer-Encoding rules (smuggling defences)") {
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\n";
  const std::string body = "\r\n0\r\n\r\n";
  CHECK(status_of(head + "Transfer-Encoding: chunked\r\n" + body) == 0);
  CHECK(status_of(head + "Transfer-Encoding: CHUNKED\r\n" + body) == 0);
  CHECK(status_of(head + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n" + body) == 400);
  CHECK(status_of(head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n" + body) == 400);
  CHECK(status_of(head + "Transfer-Encoding: gzip\r\n" + body) == 501);
  CHECK(status_of(head + "Transfer-Encoding: gzip, chunked\r\n" + body) == 501);
  CHECK(status_of(head + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n" + body) ==
        501);
  CHECK(status_of(head + "Transfer-Encoding: identity\r\n" + body) == 501);
  CHECK(status_of(head + "Transfer-Encoding: chunked;q=1\r\n" + body) == 501);
  CHECK(status_of(head + "Transfer-Encoding: xchunked\r\n" + body) == 501);
  CHECK(status_of(head + "Transfer-Encoding: chunked, gzip\r\n" + body) == 400);
  CHECK(status_of(head + "Transfer-Encoding: chunked, chunked\r\n" + body) == 400);
  CHECK(status_of(head + "Transfer-Encoding:\r\n" + body) == 400);
  CHECK(status_of("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n" + body) == 400);
  CHECK(parse("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n" + body).error ==
        "transfer-encoding in an HTTP/1.0 request");
}

TEST_CASE("http1: Content-Length rules") {
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\n";
  CHECK(parse(head + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc").request.body == "abc");
  CHECK(parse(head + "Content-Length: 3, 3\r\n\r\nabc").request.body == "abc");
  CHECK(parse(head + "Content-Length: 0\r\n\r\n").request.content_length == 0);
  CHECK(status_of(head + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd") == 400);
  CHECK(status_of(head + "Content-Length: 3, 4\r\n\r\nabcd") == 400);
  CHECK(status_of(head + "Content-Length: +3\r\n\r\nabc") == 400);
  CHECK(status_of(head + "Content-Length: -3\r\n\r\nabc") == 400);
  CHECK(status_of(head + "Content-Length: 3 3\r\n\r\nabc") == 400);
  CHECK(status_of(head + "Content-Length: 0x3\r\n\r\nabc") == 400);
  CHECK(status_of(head + "Content-Length:\r\n\r\n") == 400);
  CHECK(status_of(head + "Content-Length: 1234567890123456789\r\n\r\n") == 400);  // 19 digits
  CHECK(parse(head + "Content-Length: 1234567890123456789\r\n\r\n").error ==
        "content-length too long");
  CHECK(status_of(head + "Content-Length: 123456789012345678\r\n\r\n") == 413);  // 18 digits
}

TEST_CASE("http1: a declared body over the limit is 413 at head time") {
  Limits limits;
  limits.max_body_bytes = 10;
  RequestParser parser(limits);
  parser.feed("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n");
  CHECK(parser.phase() == Phase::kError);
  CHECK(parser.error_status() == 413);
  CHECK_FALSE(parser.head_complete());
  CHECK(status_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", limits) ==
        0);
}

TEST_CASE("http1: a POST without framing has an empty body") {
  const Outcome out = parse("POST /x HTTP/1.1\r\nHost: h\r\n\r\nleftover");
  REQUIRE(out.phase == Phase::kComplete);
  CHECK(out.request.body.empty());
  CHECK(out.request.content_length == -1);
  CHECK_FALSE(out.request.chunked);
  CHECK(out.rest == "leftover");
}

TEST_CASE("http1: chunk-size line rules") {
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  CHECK(parse(head + "00000000000000A\r\n0123456789\r\n0\r\n\r\n").request.body == "0123456789");
  CHECK(status_of(head + "g\r\n") == 400);
  CHECK(status_of(head + "\r\n") == 400);
  CHECK(status_of(head + "-1\r\n") == 400);
  CHECK(status_of(head + "0x5\r\nhello\r\n0\r\n\r\n") == 400);
  CHECK(status_of(head + "5 \r\nhello\r\n0\r\n\r\n") == 400);
  CHECK(status_of(head + "5 x\r\nhello\r\n0\r\n\r\n") == 400);
  CHECK(status_of(head + "5;a\x01\r\nhello\r\n0\r\n\r\n") == 400);
  CHECK(status_of(head + "5;a\rb\r\nhello\r\n0\r\n\r\n") == 400);
  CHECK(status_of(head + "00000000000000001\r\n") == 400);  // 17 digits
  CHECK(parse(head + "00000000000000001\r\n").error == "chunk size too long");
  CHECK(status_of(head + "ffffffffffffffff\r\n") == 413);  // fits 64 bits, over the limit
  CHECK(status_of(head + "5;" + std::string(4094, 'e') + "\r\nhello\r\n0\r\n\r\n") == 0);
  CHECK(status_of(head + "5;" + std::string(4095, 'e') + "\r\nhello\r\n0\r\n\r\n") == 400);
  CHECK(status_of(head + "5;" + std::string(4096, 'e')) == 400);  // no line end needed
  CHECK(parse(head + "5;" + std::string(4096, 'e')).error == "chunk-size line too long");
}

TEST_CASE("http1: chunk data must be followed by exactly CRLF") {
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  CHECK(status_of(head + "5\r\nhelloX\r\n0\r\n\r\n") == 400);
  CHECK(status_of(head + "5\r\nhello\n0\r\n\r\n") == 400);
  CHECK(status_of(head + "5\r\nhello\rX0\r\n\r\n") == 400);
  CHECK(parse(head + "5\r\nhello\n0\r\n\r\n").error == "chunk data not followed by CRLF");
  CHECK(status_of(head + "5\r\nhello\r\n0\r\n\r\n") == 0);
}

TEST_CASE("http1: trailers are checked like headers and share the header byte limit") {
  Limits limits;
  limits.max_header_bytes = 64;
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  CHECK(status_of(head + "0\r\nT: v\r\n\r\n", limits) == 0);
  CHECK(status_of(head + "0\r\nT v\r\n\r\n", limits) == 400);
  CHECK(status_of(head + "0\r\nT : v\r\n\r\n", limits) == 400);
  CHECK(status_of(head + "0\r\n folded\r\n\r\n", limits) == 400);
  // The head used 7 + 26 = 33 bytes; a 32-byte trailer goes over 64.
  CHECK(status_of(head + "0\r\nT: " + std::string(28, 'v') + "\r\n\r\n", limits) == 0);
  CHECK(status_of(head + "0\r\nT: " + std::string(29, 'v') + "\r\n\r\n", limits) == 431);
  CHECK(status_of(head + "0\r\nT: " + std::string(1000, 'v'), limits) == 431);
}

TEST_CASE("http1: a chunked body over the limit is 413 at the chunk size") {
  Limits limits;
  limits.max_body_bytes = 10;
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  CHECK(status_of(head + "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", limits) == 0);
  RequestParser parser(limits);
  parser.feed(head + "5\r\nhello\r\n6\r\n");  // no data of the second chunk yet
  CHECK(parser.phase() == Phase::kError);
  CHECK(parser.error_status() == 413);
  CHECK(parser.head_complete());
}

TEST_CASE("http1: keep-alive and expect-continue") {
  const auto keep_alive = [](std::string_view version, std::string_view fields) {
    const Outcome out =
        parse("GET / " + std::string(version) + "\r\nHost: h\r\n" + std::string(fields) + "\r\n");
    REQUIRE(out.phase == Phase::kComplete);
    return out.request.keep_alive;
  };
  CHECK(keep_alive("HTTP/1.1", ""));
  CHECK_FALSE(keep_alive("HTTP/1.1", "Connection: close\r\n"));
  CHECK_FALSE(keep_alive("HTTP/1.1", "Connection: Upgrade, CLOSE\r\n"));
  CHECK_FALSE(keep_alive("HTTP/1.1", "Connection: x\r\nConnection: close\r\n"));
  CHECK(keep_alive("HTTP/1.1", "Connection: closed\r\n"));
  CHECK_FALSE(keep_alive("HTTP/1.0", ""));
  CHECK(keep_alive("HTTP/1.0", "Connection: Keep-Alive\r\n"));
  CHECK(keep_alive("HTTP/1.0", "Connection: te, keep-alive\r\n"));
  CHECK_FALSE(keep_alive("HTTP/1.0", "Connection: keep-alive, close\r\n"));
  const auto expects = [](std::string_view fields) {
    return parse("GET / HTTP/1.1\r\nHost: h\r\n" + std::string(fields) + "\r\n")
        .request.expect_continue;
  };
  CHECK(expects("Expect: 100-continue\r\n"));
  CHECK(expects("Expect: 100-CONTINUE \r\n"));
  CHECK_FALSE(expects(""));
  CHECK_FALSE(expects("Expect: 200-ok\r\n"));
}

TEST_CASE("http1: HTTP/1.1 needs exactly one Host") {
  CHECK(status_of("GET / HTTP/1.1\r\n\r\n") == 400);
  CHECK(parse("GET / HTTP/1.1\r\n\r\n").error == "missing host header");
  CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n") == 400);
  CHECK(status_of("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n") == 400);
  CHECK(status_of("GET / HTTP/1.1\r\nHost:\r\n\r\n") == 0);  // empty is allowed (RFC 9112 §3.2)
  CHECK(status_of("GET / HTTP/1.0\r\n\r\n") == 0);
}

TEST_CASE("http1: nothing is consumed after an error; reset starts over") {
  RequestParser parser(Limits{});
  CHECK(parser.feed("GET / HTTP/9.9\r\nHost: h\r\n\r\n") > 0);
  CHECK(parser.phase() == Phase::kError);
  CHECK(parser.error_status() == 505);
  CHECK(parser.feed("GET / HTTP/1.1\r\n") == 0);
  parser.reset();
  CHECK(parser.error_status() == 0);
  CHECK(parser.error().empty());
  const std::string ok = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
  CHECK(parser.feed(ok) == ok.size());
  CHECK(parser.phase() == Phase::kComplete);
}

TEST_CASE("http1: an incomplete request stays in its phase") {
  CHECK(status_of("GET / HTTP/1.1\r\nHost: h\r\n") == -1);
  CHECK(status_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nabc") == -1);
  CHECK(status_of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n") == -1);
  CHECK(status_of("") == -1);
}

TEST_CASE("http1: percent_decode") {
  CHECK(percent_decode("a%20b%2Fc%2fd", false) == "a b/c/d");
  CHECK(percent_decode("a+b", false) == "a+b");
  CHECK(percent_decode("a+b", true) == "a b");
  CHECK(percent_decode("%zz%4", false) == "%zz%4");
  CHECK(percent_decode("%", true) == "%");
  CHECK(percent_decode("%%41", false) == "%A");
  CHECK(percent_decode("%00", false) == std::string(1, '\0'));
  CHECK(percent_decode("%C3%A9", false) == "\xc3\xa9");
  CHECK(percent_decode("", false).empty());
}

TEST_CASE("http1: parse_query") {
  using Params = std::vector<std::pair<std::string, std::string>>;
  CHECK(parse_query("a=1&b=x+y&c=%41%zz", 10) == Params{{"a", "1"}, {"b", "x y"}, {"c", "A%zz"}});
  CHECK(parse_query("a&b=&=v&&x=1=2", 10) == Params{{"a", ""}, {"b", ""}, {"", "v"}, {"x", "1=2"}});
  CHECK(parse_query("k%2Bey=v%26al", 10) == Params{{"k+ey", "v&al"}});
  CHECK(parse_query("a=1&b=2&c=3", 2) == Params{{"a", "1"}, {"b", "2"}});
  CHECK(parse_query("a=1", 0).empty());
  CHECK(parse_query("", 10).empty());
}

}  // namespace
}  // namespace aof::sidecar::http1
