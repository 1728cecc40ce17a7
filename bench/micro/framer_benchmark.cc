// Micro-benchmarks of the spec §6 framer: AppendFrame (what send() costs on the main thread)
// and FrameDecoder::Feed (what every received byte costs on the IO thread).
#include <benchmark/benchmark.h>

#include <string>

#include "net/framer.h"

namespace switchboard {
namespace {

std::string Text(std::size_t size) {
  std::string text(size, 'a');
  for (std::size_t index = 0; index < size; ++index)
    text[index] = static_cast<char>('a' + index % 26);
  return text;
}

// About 1 MiB of frames of `frame_size` bytes, fed to `decoder` in 64 KiB reads (the IO
// thread's read buffer), so large frames span reads and small ones come many to a read.
std::string FramedStream(std::size_t frame_size) {
  const std::string text = Text(frame_size);
  std::string stream;
  while (stream.size() < 1024 * 1024) AppendFrame(text, stream);
  return stream;
}

template <typename Sink>
void FeedInReads(FrameDecoder& decoder, const std::string& stream, Sink& sink) {
  constexpr std::size_t kReadBytes = 64 * 1024;
  for (std::size_t offset = 0; offset < stream.size(); offset += kReadBytes) {
    std::string_view read(stream.data() + offset, std::min(kReadBytes, stream.size() - offset));
    benchmark::DoNotOptimize(decoder.Feed(read, sink));
  }
}

void BM_AppendFrame(benchmark::State& state) {
  const std::string text = Text(static_cast<std::size_t>(state.range(0)));
  std::string out;
  for (auto _ : state) {
    out.clear();
    AppendFrame(text, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_AppendFrame)->Arg(16)->Arg(1024)->Arg(64 * 1024);

// Frames of range(0) bytes arriving in 64 KiB reads (the IO thread's read buffer), so large
// frames span reads and small ones come many to a read.
void BM_FrameDecoderFeed(benchmark::State& state) {
  const std::string stream = FramedStream(static_cast<std::size_t>(state.range(0)));
  FrameDecoder decoder;
  std::size_t delivered = 0;
  FrameDecoder::FrameSink sink = [&](std::string_view frame) { delivered += frame.size(); };
  for (auto _ : state) FeedInReads(decoder, stream, sink);
  benchmark::DoNotOptimize(delivered);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
}
BENCHMARK(BM_FrameDecoderFeed)->Arg(16)->Arg(1024)->Arg(64 * 1024);

// As above, with a sink that keeps each frame's text as Connection does for large frames: a
// frame gathered across reads is moved out of the decoder, one inside a read copied.
void BM_FrameDecoderFeedTakingText(benchmark::State& state) {
  const std::string stream = FramedStream(static_cast<std::size_t>(state.range(0)));
  FrameDecoder decoder;
  std::size_t delivered = 0;
  FrameDecoder::FrameSink sink = [&](ReceivedText& frame) {
    std::string taken = frame.TakeString();
    delivered += taken.size();
    benchmark::DoNotOptimize(taken.data());
  };
  for (auto _ : state) FeedInReads(decoder, stream, sink);
  benchmark::DoNotOptimize(delivered);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
}
BENCHMARK(BM_FrameDecoderFeedTakingText)->Arg(64 * 1024);

void BM_IsValidUtf8(benchmark::State& state) {
  const std::string text = Text(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(IsValidUtf8(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_IsValidUtf8)->Arg(64 * 1024);

// Text with a two-byte character (U+00E9) every range(1) bytes: how much the ASCII step costs
// when it keeps failing.
void BM_ClassifyUtf8Mixed(benchmark::State& state) {
  std::string text = Text(static_cast<std::size_t>(state.range(0)));
  const auto every = static_cast<std::size_t>(state.range(1));
  for (std::size_t index = 0; index + 2 <= text.size(); index += every) {
    text[index] = '\xC3';
    text[index + 1] = '\xA9';
  }
  for (auto _ : state) benchmark::DoNotOptimize(ClassifyUtf8(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_ClassifyUtf8Mixed)->Args({64 * 1024, 16})->Args({64 * 1024, 256});

}  // namespace
}  // namespace switchboard
