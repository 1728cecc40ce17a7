// The data framing of spec §6: every message is 0x02 <UTF-8 text> 0x17 on the wire.
// AppendFrame() encodes what send() writes; FrameDecoder splits received bytes into messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/limits.h"
#include "net/result.h"

namespace switchboard {

// §9: the default maximum size of a received frame's text.
inline constexpr size_t kDefaultMaxFrameBytes = Limits{}.max_frame_bytes;

inline constexpr char kFrameStart = '\x02';  // STX
inline constexpr char kFrameEnd = '\x17';    // ETB

// §6 flow control: what each received frame waiting for script counts against the receive
// window on top of its text, so that a flood of empty frames is bounded by the same window. It
// is more than a frame costs while it waits (FrameBatch: its text and 8 bytes, or a string of
// its own for a large one), so the window bounds memory and not only text.
inline constexpr size_t kFrameOverheadBytes = 64;

// What ClassifyUtf8() found: not UTF-8, only ASCII (each byte < 0x80, so also Latin-1, which
// V8 can use as a one-byte string's storage), or valid UTF-8 with at least one other character.
enum class Utf8Kind { kInvalid, kAscii, kNonAscii };
// IsValidUtf8() that also tells whether the text is all ASCII, in the same pass: ASCII is
// skipped 8 bytes, then 32 bytes, at a time.
Utf8Kind ClassifyUtf8(std::string_view bytes);

// One valid frame's text as the decoder hands it to a FrameSink, converting to the view for
// sinks that only look at it. TakeString() gives the text as a string of its own: moved out of
// the decoder's buffer when the frame was gathered across reads (no copy), else copied out of
// the caller's bytes (the one copy between a shared read buffer and script).
class ReceivedText {
 public:
  ReceivedText(std::string_view view, std::string* owner, bool is_ascii)
      : view_(view), owner_(owner), is_ascii_(is_ascii) {}
  std::string_view view() const { return view_; }
  operator std::string_view() const { return view_; }  // NOLINT(google-explicit-constructor)
  size_t size() const { return view_.size(); }
  bool is_ascii() const { return is_ascii_; }
  // Once per frame; the view is not to be used afterwards.
  std::string TakeString();

 private:
  std::string_view view_;
  std::string* owner_;  // the decoder's buffer when it holds exactly the text, else null
  bool is_ascii_;
};

// Received frames in order, as they wait for script and cross from the IO thread to the page:
// one allocation per batch for small frames (their texts back to back), and large ones as
// strings of their own, which Take() hands to script without another copy.
class FrameBatch {
 public:
  // From this size a frame's text is kept as a string of its own.
  static constexpr size_t kOwnStringBytes = 1024;

  void Append(std::string_view text) { Append(text, nullptr, false); }
  // A decoded frame: a large one's text is taken (moved when the decoder gathered it).
  void Append(ReceivedText& text) {
    Append(text.view(), text.size() >= kOwnStringBytes ? &text : nullptr, text.is_ascii());
  }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // The text of frame `index` (empty once Take() moved a large one out).
  std::string_view operator[](size_t index) const {
    const Entry& entry = entries_[index];
    if (entry.own != kPacked) return own_[entry.own].text;
    size_t begin = index == 0 ? 0 : entries_[index - 1].packed_end;
    return std::string_view(packed_).substr(begin, entry.packed_end - begin);
  }
  // Whether frame `index` is a large one known to be all ASCII (small ones say false).
  bool IsAscii(size_t index) const {
    const Entry& entry = entries_[index];
    return entry.own != kPacked && own_[entry.own].is_ascii;
  }
  // The text of frame `index` as a string: moved out when it is large, else copied.
  std::string Take(size_t index) {
    const Entry& entry = entries_[index];
    if (entry.own != kPacked) return std::move(own_[entry.own].text);
    return std::string((*this)[index]);
  }
  // What the frames count against the receive window (§6).
  size_t WindowBytes() const { return window_bytes_; }

 private:
  // 8 bytes a frame (a flood of empty frames holds millions). Only frames below
  // kOwnStringBytes are packed, and a batch is one read's frames, so 32 bits are plenty.
  static constexpr uint32_t kPacked = static_cast<uint32_t>(-1);
  struct Entry {
    uint32_t packed_end;  // where the packed texts end after this frame
    uint32_t own;         // index in own_, or kPacked
  };
  struct OwnText {
    std::string text;
    bool is_ascii;
  };
  void Append(std::string_view text, ReceivedText* taken, bool is_ascii) {
    Entry entry{0, kPacked};
    if (text.size() >= kOwnStringBytes) {
      entry.own = static_cast<uint32_t>(own_.size());
      own_.push_back({taken ? taken->TakeString() : std::string(text), is_ascii});
    } else {
      packed_.append(text);
    }
    entry.packed_end = static_cast<uint32_t>(packed_.size());
    entries_.push_back(entry);
    window_bytes_ += text.size() + kFrameOverheadBytes;
  }
  std::string packed_;
  std::vector<OwnText> own_;
  std::vector<Entry> entries_;
  size_t window_bytes_ = 0;
};

// The number of bytes AppendFrame() writes for `utf8_text`: the two delimiters plus the text,
// each 0x00 or 0x17 byte of which grows to the three bytes of U+FFFD. This is what
// `bufferedAmount` counts for the frame (§6).
size_t FrameSize(std::string_view utf8_text);

// §6 send(): appends 0x02, the text with every 0x00 and 0x17 byte replaced by U+FFFD (EF BF BD),
// and 0x17 to `out`; returns the number of bytes appended (FrameSize()). `utf8_text` is the
// UTF-8 encoding of a USVString; in valid UTF-8 the bytes 0x00 and 0x17 only ever encode U+0000
// and U+0017, so a byte-wise replacement is the spec's code-point replacement. Even for invalid
// input the frame can never end early.
size_t AppendFrame(std::string_view utf8_text, std::string& out);

// Strict UTF-8 (Unicode §3.9, Table 3-7): no overlong forms, no surrogates (U+D800-DFFF),
// nothing above U+10FFFF, no truncated sequences.
bool IsValidUtf8(std::string_view bytes);

// FrameDecoder — the receiving half of §6 for one connection.
//
// Lives on the IO thread and belongs to the connection that reads the socket; it holds no
// references to anything else. Feed() calls the sink synchronously, once per valid frame, in
// order, before it returns; it never calls it again after returning an error. Memory stays
// bounded: at most one partial frame (≤ max_frame_bytes + 1 bytes) is buffered.
class FrameDecoder {
 public:
  // Receives the text of one valid frame: valid UTF-8, without delimiters. It is valid only
  // during the call (it may point into the bytes given to Feed()); TakeString() keeps it.
  using FrameSink = std::function<void(ReceivedText& text)>;

  // `max_frame_bytes` bounds the text between the delimiters; a frame with more fails the
  // connection (§6, §9).
  explicit FrameDecoder(size_t max_frame_bytes = kDefaultMaxFrameBytes);

  // §6 receiving: splits `bytes` (the next bytes of the stream, any chunking) into frames,
  // delivers the valid ones to `sink` and drops the others. Returns a Stage::kProtocol error
  // when a frame grows past the maximum; frames completed before it have been delivered. Once
  // failed, every later call returns the same error and delivers nothing.
  Result<Ok> Feed(std::string_view bytes, const FrameSink& sink);

  // Frames dropped so far: a first byte other than 0x02 (reserved for extensions), or text
  // that is not valid UTF-8.
  size_t dropped_frame_count() const { return dropped_frame_count_; }
  // Frames delivered to a sink so far.
  size_t delivered_frame_count() const { return delivered_frame_count_; }
  // Bytes of an incomplete frame held until its 0x17 arrives.
  size_t buffered_bytes() const { return gathering_ ? 1 + partial_text_.size() : 0; }

 private:
  // Handles one complete frame: its first byte and its text (without the 0x17). `owner` is the
  // buffer holding exactly the text, or null when the text points into the caller's bytes.
  void DeliverOrDrop(char first_byte, std::string_view text, std::string* owner,
                     const FrameSink& sink);
  Error TooLargeError() const;

  size_t max_frame_bytes_;
  // The current frame while it is gathered across reads: its first byte, and the text after it
  // received so far (kept apart so that the text alone can be handed over by move).
  bool gathering_ = false;
  char first_byte_ = 0;
  std::string partial_text_;
  // The size of the last frame gathered across reads: the next such frame's first allocation,
  // so that a stream of large frames grows no buffer (each is handed over by move).
  size_t gathered_frame_size_hint_ = 0;
  bool failed_ = false;
  size_t dropped_frame_count_ = 0;
  size_t delivered_frame_count_ = 0;
};

}  // namespace switchboard
