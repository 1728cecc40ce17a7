#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang in build-fuzz/ and runs each one for SECONDS
# (default 60), one after the other, each a single process. Fails if any target finds a crash,
# a sanitizer report, a broken oracle, a hang or a leak.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      # TARGET: handshake_response, access_control,
#                                              # frame_decoder, connection_url, set_cookie,
#                                              # whatwg_url, utf8_decoder
#
# The seeds in fuzz/corpus/TARGET are only read; what libFuzzer finds goes to the working
# corpus build-fuzz/corpus-work/TARGET (kept between runs), crashing inputs to
# build-fuzz/fuzz-artifacts/TARGET/ and each run's output to build-fuzz/fuzz-logs/TARGET.log.
# FUZZ_BUILD_JOBS (default 1) sets ninja's parallelism.
set -euo pipefail
root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root_dir"

all_targets=(handshake_response access_control frame_decoder connection_url set_cookie whatwg_url
  utf8_decoder websocket_server_framer devtools_http_request)
seconds="${1:-60}"
if [[ ! "$seconds" =~ ^[0-9]+$ ]] || ((seconds == 0)); then
  echo "usage: $0 [SECONDS] [TARGET...]  (SECONDS: a positive number, default 60)" >&2
  exit 2
fi
if (($#)); then shift; fi
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
  if [[ ! -f "fuzz/${target}_fuzzer.cc" ]]; then
    echo "fuzz: no target '$target' (known: ${all_targets[*]})" >&2
    exit 2
  fi
done

# clang and its libFuzzer runtime come from Debian; this script installs nothing.
if ! command -v clang++-14 >/dev/null 2>&1 ||
  [[ ! -f "$(clang++-14 -print-resource-dir)/lib/linux/libclang_rt.fuzzer-$(uname -m).a" ]]; then
  echo "fuzz: clang 14 with libFuzzer is missing; install it with" >&2
  echo "      apt-get install -y clang-14 libclang-rt-14-dev" >&2
  exit 1
fi

build_dir="$root_dir/build-fuzz"
if [[ ! -f "$build_dir/build.ninja" ]]; then
  cmake -S "$root_dir" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DSWITCHBOARD_FUZZ=ON >/dev/null
fi
ninja -C "$build_dir" -j "${FUZZ_BUILD_JOBS:-1}" "${targets[@]/%/_fuzzer}"

log_dir="$build_dir/fuzz-logs"
mkdir -p "$log_dir"
failed=()
summary=()
for target in "${targets[@]}"; do
  log="$log_dir/$target.log"
  if fuzz/run_fuzzer.sh "$build_dir/bin/${target}_fuzzer" "$root_dir/fuzz" "$target" \
    "$build_dir" "$seconds" >"$log" 2>&1; then
    result="ok"
  else
    result="FAILED"
    failed+=("$target")
    # The report: what failed, where, and the input that made it fail.
    report_pattern='oracle failed|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error'
    if grep -qE "$report_pattern" "$log"; then
      grep -E -A30 "$report_pattern" "$log" | head -60 >&2 || true
    else
      tail -40 "$log" >&2
    fi
  fi
  final_status="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)"
  summary+=("$(printf '%-20s %-6s %s' "$target" "$result" "${final_status:-(no final status)}")")
  echo "fuzz: ${summary[-1]}"
done

echo "fuzz: summary (${seconds}s each; logs in $log_dir)"
printf '  %s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "fuzz: findings in ${failed[*]}; inputs in $build_dir/fuzz-artifacts/" >&2
  exit 1
fi
