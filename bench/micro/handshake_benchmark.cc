// Micro-benchmarks of the spec §4 handshake: building the request and parsing + validating
// the 101 (whole, and split into reads of a few bytes as slow servers send it).
#include <benchmark/benchmark.h>

#include <string>

#include "net/handshake.h"

namespace switchboard {
namespace {

constexpr std::string_view kResponse =
    "HTTP/1.1 101 Switching Protocols\r\n"
    "Upgrade: TCPConnection/1.0\r\n"
    "Connection: Upgrade\r\n"
    "Access-Control: allow <example.com>\r\n"
    "Set-Cookie: session=0123456789abcdef; Path=/; HttpOnly\r\n"
    "\r\n";

void BM_BuildHandshakeRequest(benchmark::State& state) {
  HandshakeRequest request{"/chat?room=1", "example.com:8080", "http://example.com", "a=b"};
  for (auto _ : state) benchmark::DoNotOptimize(BuildHandshakeRequest(request));
}
BENCHMARK(BM_BuildHandshakeRequest);

void BM_ParseHandshakeResponse(benchmark::State& state) {
  const std::size_t chunk = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    HandshakeResponseParser parser(HandshakeExpectation::kTcpConnection);
    HandshakeStatus status = HandshakeStatus::kNeedMoreData;
    for (std::size_t offset = 0; offset < kResponse.size(); offset += chunk) {
      status = parser.Feed(kResponse.substr(offset, chunk));
    }
    if (status != HandshakeStatus::kSwitchingProtocols) state.SkipWithError("not a valid 101");
    benchmark::DoNotOptimize(parser.response());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kResponse.size()));
}
BENCHMARK(BM_ParseHandshakeResponse)->Arg(4096)->Arg(16)->Arg(1);

}  // namespace
}  // namespace switchboard
