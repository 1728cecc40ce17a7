#!/usr/bin/env bash
# Sets up (idempotently), checks formatting, builds with warnings as errors and runs every
# test under ctest: unit tests, generator golden tests and web tests; then each fuzz target for
# a short while, and the suites under ASan + UBSan and TSan (scripts/sanitizers.sh).
#
#   scripts/test.sh [--quick] [CTEST_ARGS...]    # --quick: the default build's ctest only
set -euo pipefail
quick=0
if [[ "${1:-}" == "--quick" ]]; then
  quick=1
  shift
fi
root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root_dir"

scripts/bootstrap.sh

# Every tracked C++ file must be formatted with the repository's .clang-format.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t cxx_files < <(git ls-files -- '*.cc' '*.h' | grep -v '^third_party/' || true)
else
  mapfile -t cxx_files < <(find base engine bindings net web_tests bench fuzz examples -name '*.cc' -o -name '*.h' 2>/dev/null)
fi
if ((${#cxx_files[@]})); then
  echo "test: checking formatting of ${#cxx_files[@]} C++ files"
  if ! clang-format --dry-run --Werror "${cxx_files[@]}"; then
    echo "test: run 'clang-format -i' on the files above" >&2
    exit 1
  fi
fi

cmake --preset default -DSWITCHBOARD_WERROR=ON >/dev/null
cmake --build --preset default
ctest --preset default --parallel "$(nproc)" "$@"
((quick)) && exit 0

# Each libFuzzer target for a short while (issue 8; scripts/fuzz.sh SECONDS for longer runs).
scripts/fuzz.sh "${SWITCHBOARD_FUZZ_SECONDS:-15}"
scripts/sanitizers.sh asan tsan
