// Fuzz target: WebSocketServerFramer (RFC 6455 §5, server side) and EncodeFrame/EncodeClose.
//
// Input: bytes a DevTools client sent after the upgrade, then two control bytes read from the
// end (FuzzedDataProvider): the last picks the message limit (even: 1 MiB; odd: 0-255 bytes),
// the one before it seeds the chunk sizes.
//
// Oracles:
//  - the bytes fed in one chunk, in pseudo-random chunks and byte by byte give the same events
//    and the same failure (close code) — the decoder does not depend on how TCP cut them;
//  - a text event is valid UTF-8 and within the limit; control payloads are at most 125 bytes;
//    a close code is 1005 or one RFC 6455 §7.4 allows; once failed, Feed fails again;
//  - round trip: the input cut into texts, repaired into UTF-8 and sent as masked client frames
//    (fragmented at a seeded size, with a ping between fragments), decodes to those texts.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8_decoder.h"
#include "fuzz/fuzz_check.h"
#include "net/websocket_server_framer.h"

namespace switchboard {
namespace {

using Framer = WebSocketServerFramer;
using fuzz::Printable;

struct Outcome {
  std::vector<Framer::Event> events;
  std::optional<std::uint16_t> failure;
};

Outcome Decode(std::string_view bytes, std::size_t max, const std::vector<std::size_t>& chunks) {
  Framer framer(max);
  Outcome outcome;
  std::size_t offset = 0;
  std::size_t next_chunk = 0;
  while (offset < bytes.size() && !outcome.failure) {
    std::size_t size = chunks.empty() ? bytes.size() : chunks[next_chunk++ % chunks.size()];
    size = std::min(std::max<std::size_t>(size, 1), bytes.size() - offset);
    auto fed = framer.Feed({reinterpret_cast<const std::uint8_t*>(bytes.data()) + offset, size},
                           outcome.events);
    if (!fed.ok()) {
      outcome.failure = fed.error().close_code;
      std::vector<Framer::Event> after;
      FUZZ_CHECK(!framer.Feed({}, after).ok() && after.empty(), Printable(bytes));
    }
    offset += size;
  }
  return outcome;
}

bool SameEvents(const Outcome& a, const Outcome& b) {
  if (a.failure != b.failure || a.events.size() != b.events.size()) return false;
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    if (a.events[i].kind != b.events[i].kind || a.events[i].payload != b.events[i].payload ||
        a.events[i].close_code != b.events[i].close_code) {
      return false;
    }
  }
  return true;
}

bool IsUtf8(std::string_view text) {
  Utf8Decoder decoder(Utf8Decoder::ErrorMode::kFatal);
  std::string ignored;
  return decoder.Decode({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()},
                        Utf8Decoder::Flush::kEndOfStream, ignored) == Utf8Decoder::Status::kOk;
}

std::string Repaired(std::string_view bytes) {
  Utf8Decoder decoder(Utf8Decoder::ErrorMode::kReplacement);
  std::string text;
  (void)decoder.Decode({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()},
                       Utf8Decoder::Flush::kEndOfStream, text);
  return text;
}

// A masked client frame, the reference way (RFC 6455 §5.2, §5.3).
std::string ClientFrame(bool fin, std::uint8_t opcode, std::string_view payload,
                        std::uint8_t mask_seed) {
  std::string frame;
  frame.push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
  const std::uint64_t length = payload.size();
  if (length < 126) {
    frame.push_back(static_cast<char>(0x80 | length));
  } else if (length <= 0xFFFF) {
    frame.push_back(static_cast<char>(0x80 | 126));
    frame.push_back(static_cast<char>(length >> 8));
    frame.push_back(static_cast<char>(length & 0xFF));
  } else {
    frame.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame.push_back(static_cast<char>((length >> shift) & 0xFF));
    }
  }
  const std::uint8_t mask[4] = {mask_seed, static_cast<std::uint8_t>(mask_seed * 3 + 1),
                                static_cast<std::uint8_t>(mask_seed ^ 0x5A), 0xC3};
  frame.append(reinterpret_cast<const char*>(mask), 4);
  for (std::size_t i = 0; i < payload.size(); ++i) {
    frame.push_back(static_cast<char>(static_cast<std::uint8_t>(payload[i]) ^ mask[i % 4]));
  }
  return frame;
}

bool IsAllowedCloseCode(std::uint16_t code) {
  return code == 1005 || (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) ||
         (code >= 3000 && code <= 4999);
}

}  // namespace
}  // namespace switchboard

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace switchboard;
  if (size < 2) return 0;
  const std::uint8_t limit_selector = data[size - 1];
  const std::uint8_t chunk_seed = data[size - 2];
  std::string_view bytes(reinterpret_cast<const char*>(data), size - 2);
  const std::size_t max = limit_selector % 2 == 0 ? std::size_t{1} << 20 : limit_selector >> 1;

  std::vector<std::size_t> chunks;
  for (std::size_t i = 0; i < 16; ++i) chunks.push_back((chunk_seed * (i + 7)) % 23 + 1);
  const Outcome whole = Decode(bytes, max, {});
  FUZZ_CHECK(SameEvents(whole, Decode(bytes, max, chunks)), Printable(bytes));
  FUZZ_CHECK(SameEvents(whole, Decode(bytes, max, {1})), Printable(bytes));
  for (const Framer::Event& event : whole.events) {
    switch (event.kind) {
      case Framer::Event::Kind::kText:
        FUZZ_CHECK(IsUtf8(event.payload) && event.payload.size() <= max, Printable(bytes));
        break;
      case Framer::Event::Kind::kPing:
      case Framer::Event::Kind::kPong:
        FUZZ_CHECK(event.payload.size() <= 125, Printable(bytes));
        break;
      case Framer::Event::Kind::kClose:
        FUZZ_CHECK(IsAllowedCloseCode(event.close_code) && IsUtf8(event.payload), Printable(bytes));
        break;
    }
  }

  // Round trip: texts cut at each '\n', fragmented every `fragment` bytes with a ping between.
  std::vector<std::string> texts;
  std::string frames;
  const std::size_t fragment = chunk_seed % 7 + 1;
  std::size_t start = 0;
  while (start <= bytes.size()) {
    std::size_t end = std::min(bytes.find('\n', start), bytes.size());
    std::string text = Repaired(bytes.substr(start, end - start));
    texts.push_back(text);
    // Fragment at byte offsets (a fragment may end inside a UTF-8 sequence, §5.6 allows it).
    std::size_t offset = 0;
    bool first = true;
    do {
      std::string_view piece = std::string_view(text).substr(offset, fragment);
      offset += piece.size();
      const bool fin = offset >= text.size();
      frames += ClientFrame(fin, first ? 0x1 : 0x0, piece, static_cast<std::uint8_t>(offset));
      if (!fin) frames += ClientFrame(true, 0x9, "p", chunk_seed);
      first = false;
    } while (offset < text.size());
    start = end + 1;
  }
  const Outcome round_trip = Decode(frames, std::size_t{1} << 20, chunks);
  FUZZ_CHECK(!round_trip.failure, Printable(bytes));
  std::vector<std::string> decoded;
  for (const Framer::Event& event : round_trip.events) {
    if (event.kind == Framer::Event::Kind::kText) decoded.push_back(event.payload);
  }
  FUZZ_CHECK(decoded == texts, Printable(bytes));

  // The server's own frames: a header of the minimal size, then the payload as given.
  std::string encoded = Framer::EncodeFrame(Framer::Opcode::kText, bytes);
  const std::size_t header = bytes.size() < 126 ? 2 : bytes.size() <= 0xFFFF ? 4 : 10;
  FUZZ_CHECK(encoded.size() == header + bytes.size() && encoded.substr(header) == bytes,
             Printable(bytes));
  return 0;
}
