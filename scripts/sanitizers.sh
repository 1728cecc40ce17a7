#!/usr/bin/env bash
# Builds and runs the test suites under the sanitizers (issue 8):
#   asan — ASan + UBSan with leak detection: every ctest test (unit, generator, web tests) in
#          build-asan/ — a Debug build, so the embedding API's threading checks are compiled in
#          and their death test (switchboard_embedding_loop_tests) runs; examples.embedder_poll
#          too;
#   tsan — ThreadSanitizer: the tests of net/ and those that cross between the IO thread and the
#          page's thread, in build-tsan/.
#
#   scripts/sanitizers.sh [asan|tsan]...      # both when none is named
#
# Installs nothing: scripts/test.sh (which calls this) runs scripts/bootstrap.sh first.
set -euo pipefail
root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root_dir"

jobs="$(nproc)"
kinds=("$@")
((${#kinds[@]})) || kinds=(asan tsan)

# The tests that exercise more than one thread: the IO thread's own tests, the cookie jar
# (shared by both threads), the page tests that drive real connections from V8, and the
# embedding API's (PostTask, Terminate, promises settled and Handles dropped on other threads).
tsan_tests=(
  # Issue 19: the cross-thread queue's wake-up batches, posted from four threads at once.
  switchboard_base_tests
  switchboard_net_tests switchboard_net_io_tests switchboard_cookie_tests
  switchboard_engine_tests switchboard_tcp_connection_tests switchboard_hostile_peers_tests
  switchboard_net_log_tests switchboard_network_hardening_tests switchboard_fault_soak_tests
  switchboard_devtools_server_tests switchboard_network_agent_tests
  switchboard_embedding_network_hooks_tests
  # Issue 18: Page::PostTask from other threads waking an embedder's poll(), V8's worker
  # threads posting foreground tasks, and the threading checks' death test (Debug: no NDEBUG).
  switchboard_embedding_loop_tests
  switchboard_embedding_tests
)

run_asan() {
  echo "sanitizers: asan (ASan + UBSan, detect_leaks=1): building build-asan/"
  cmake --preset asan -DSWITCHBOARD_WERROR=ON >/dev/null
  cmake --build --preset asan -j "$jobs"
  # The preset sets ASAN_OPTIONS=detect_leaks=1 and makes every UBSan report fatal.
  ctest --preset asan --parallel "$jobs"
}

run_tsan() {
  echo "sanitizers: tsan: building the multi-threaded tests in build-tsan/"
  cmake --preset tsan -DSWITCHBOARD_WERROR=ON >/dev/null
  local targets=()
  for test in "${tsan_tests[@]}"; do
    if ninja -C build-tsan -t query "$test" >/dev/null 2>&1; then targets+=("$test"); fi
  done
  # The page tests start the shell and the reference server of the same build.
  cmake --build --preset tsan -j "$jobs" --target "${targets[@]}" switchboard-shell switchboard-server
  local failed=()
  for test in "${targets[@]}"; do
    echo "sanitizers: tsan: $test"
    # halt_on_error: the first race fails the suite, with its report on stderr.
    if ! TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root_dir/scripts/tsan-suppressions.txt" \
      "build-tsan/bin/$test" --gtest_brief=1; then
      failed+=("$test")
    fi
  done
  if ((${#failed[@]})); then
    echo "sanitizers: tsan found problems in: ${failed[*]}" >&2
    return 1
  fi
}

for kind in "${kinds[@]}"; do
  case "$kind" in
    asan) run_asan ;;
    tsan) run_tsan ;;
    *)
      echo "usage: $0 [asan|tsan]..." >&2
      exit 2
      ;;
  esac
done
echo "sanitizers: ${kinds[*]} clean"
