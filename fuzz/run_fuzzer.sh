#!/usr/bin/env bash
# Runs one fuzz target for a while: run_fuzzer.sh FUZZER_BINARY FUZZ_DIR NAME BUILD_DIR SECONDS
#
# The repository's seeds (FUZZ_DIR/corpus/NAME) are read, never written: libFuzzer writes new
# inputs only into its first corpus directory, the working copy BUILD_DIR/corpus-work/NAME,
# which persists between runs. Crashes land in BUILD_DIR/fuzz-artifacts/NAME/. One process,
# one worker (no -jobs/-fork): the machine is shared. Exits non-zero on any finding.
set -euo pipefail

if (($# != 5)); then
  echo "usage: $0 FUZZER_BINARY FUZZ_DIR NAME BUILD_DIR SECONDS" >&2
  exit 2
fi
fuzzer="$1" fuzz_dir="$2" name="$3" build_dir="$4" seconds="$5"

work_corpus="$build_dir/corpus-work/$name"
artifacts="$build_dir/fuzz-artifacts/$name"
mkdir -p "$work_corpus" "$artifacts"

options=(
  -max_total_time="$seconds"
  -timeout=10            # a single input taking 10 s is a finding (a hang)
  -rss_limit_mb=2048
  -print_final_stats=1
  -artifact_prefix="$artifacts/"
)
if [[ -f "$fuzz_dir/$name.dict" ]]; then
  options+=(-dict="$fuzz_dir/$name.dict")
fi

echo "fuzz: $name for ${seconds}s (corpus $work_corpus, seeds $fuzz_dir/corpus/$name)"
exec "$fuzzer" "${options[@]}" "$work_corpus" "$fuzz_dir/corpus/$name"
